package linkturn

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"
)

// A held session that finds the link taken gets ErrBusy at once; a once
// session asks for it, the holder hears the ask, and the link passes once
// the holder lets go. A once session that is never let in ends with its
// context, saying so.
func TestTakeTurns(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	p := Peer{Dir: t.TempDir(), DeviceID: "DEV", Name: "派出所"}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	held, err := Take(ctx, p, false, log)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Take(ctx, p, false, log); !errors.Is(err, ErrBusy) {
		t.Fatalf("a second held take: %v, want ErrBusy", err)
	}
	select {
	case <-held.Asked():
		t.Fatal("asked before anyone asked")
	default:
	}

	got := make(chan error, 1)
	var once *Lock
	go func() {
		var err error
		once, err = Take(ctx, p, true, log)
		got <- err
	}()
	select {
	case <-held.Asked():
	case <-ctx.Done():
		t.Fatal("the holder never heard the once session ask")
	}
	select {
	case err := <-got:
		t.Fatalf("the once session took the link while it was held: %v", err)
	case <-time.After(3 * poll):
	}
	held.Release()
	if err := <-got; err != nil {
		t.Fatalf("the once session after the holder let go: %v", err)
	}
	defer once.Release()

	short, stop := context.WithTimeout(ctx, 2*poll)
	defer stop()
	if _, err := Take(short, p, true, log); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a once session never let in: %v, want its deadline", err)
	}
}

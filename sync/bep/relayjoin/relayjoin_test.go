package relayjoin

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/syncthing/syncthing/lib/relay/protocol"
)

// record is a TLS record of content type typ carrying body.
func record(typ byte, body string) []byte {
	return append([]byte{typ, 3, 1, byte(len(body) >> 8), byte(len(body))}, body...)
}

// message is a relay protocol message as the relay writes it.
func message(t testing.TB, m any) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := protocol.WriteMessage(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pair is the two ends of a TCP connection on the loopback interface.
func pair(t testing.TB) (here, there net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	if here, err = net.Dial("tcp", ln.Addr().String()); err != nil {
		t.Fatal(err)
	}
	if there = <-accepted; there == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { here.Close(); there.Close() })
	return here, there
}

// fakeRelay reads the join request from the far end of c, checks its key
// and writes answer in one piece, then after; it closes c when done.
func fakeRelay(t *testing.T, c net.Conn, key []byte, answer, after []byte) <-chan error {
	done := make(chan error, 1)
	go func() {
		defer c.Close()
		m, err := protocol.ReadMessage(c)
		if err != nil {
			done <- err
			return
		}
		if req, ok := m.(protocol.JoinSessionRequest); !ok || !bytes.Equal(req.Key, key) {
			done <- errors.New("not the join request for the key")
			return
		}
		if _, err := c.Write(answer); err != nil {
			done <- err
			return
		}
		if len(after) > 0 {
			_, err = c.Write(after)
		}
		done <- err
	}()
	return done
}

func TestJoin(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	hello := record(22, strings.Repeat("h", 300))
	ccs := record(20, "\x01")
	ok := message(t, protocol.ResponseSuccess)
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	tests := []struct {
		name          string
		answer, after []byte
		want          []byte // what the peer's side reads, all of it
		err           string // "" for none
		refused       bool
	}{
		{name: "answer alone", answer: ok, want: nil},
		{name: "answer, then the peer's hello", answer: ok, after: hello, want: hello},
		{name: "answer and hello in one write", answer: cat(ok, hello), want: hello},
		// The stock relay's race: the first side's bytes ahead of the answer.
		{name: "hello before the answer", answer: cat(hello, ok), want: hello},
		{name: "two records before the answer, more after", answer: cat(hello, ccs, ok, ccs), after: hello, want: cat(hello, ccs, ccs, hello)},
		{name: "already connected", answer: message(t, protocol.ResponseAlreadyConnected), refused: true, err: "refused"},
		{name: "not found", answer: message(t, protocol.ResponseNotFound), err: "not found"},
		{name: "garbage", answer: []byte("HTTP/1.1 400 Bad Request\r\n\r\n"), err: "neither a relay message nor TLS"},
		{name: "closed before answering", answer: nil, err: "EOF"},
		{name: "cut inside an early record", answer: hello[:100], err: "EOF"},
		{name: "endless early records", answer: bytes.Repeat(record(23, strings.Repeat("x", 16000)), 5), err: "over"},
		{name: "a message that is no response", answer: message(t, protocol.Ping{}), err: "want a response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			here, there := pair(t)
			relay := fakeRelay(t, there, key, tt.answer, tt.after)
			c, err := join(context.Background(), here, key, 5*time.Second)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("join: %v, want an error with %q", err, tt.err)
				}
				if errors.Is(err, ErrRefused) != tt.refused {
					t.Fatalf("join: %v: refused is %v, want %v", err, errors.Is(err, ErrRefused), tt.refused)
				}
				return
			}
			if err != nil {
				t.Fatalf("join: %v", err)
			}
			got, err := io.ReadAll(c)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Fatalf("the peer's side read %d bytes, want %d", len(got), len(tt.want))
			}
			if err := <-relay; err != nil {
				t.Fatalf("relay: %v", err)
			}
		})
	}
}

// TestJoinOverTCP: Join dials the invitation's address and port.
func TestJoinOverTCP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	key := []byte("k")
	hello := record(22, "hello")
	relay := make(chan (<-chan error), 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			close(relay)
			return
		}
		relay <- fakeRelay(t, c, key, append(hello, message(t, protocol.ResponseSuccess)...), nil)
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	c, err := Join(context.Background(), protocol.SessionInvitation{Key: key, Address: net.IPv4(127, 0, 0, 1).To4(), Port: uint16(port)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got, err := io.ReadAll(c)
	if err != nil || !bytes.Equal(got, hello) {
		t.Fatalf("read %q %v, want the peer's hello", got, err)
	}
	if err := <-<-relay; err != nil {
		t.Fatal(err)
	}
	// Nobody listening: an error naming the address, never a hang.
	ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := Join(ctx, protocol.SessionInvitation{Key: key, Address: net.IPv4(127, 0, 0, 1).To4(), Port: uint16(port)}); err == nil || !strings.Contains(err.Error(), "127.0.0.1") {
		t.Fatalf("join with nobody there: %v", err)
	}
}

// FuzzJoinAnswer: whatever a relay (or whoever answers at its address)
// sends back, join returns an error or a connection, never a panic, and
// keeps no more than maxEarly bytes of the peer's.
func FuzzJoinAnswer(f *testing.F) {
	ok := message(f, protocol.ResponseSuccess)
	f.Add(ok)
	f.Add(append(record(22, "hello"), ok...))
	f.Add(message(f, protocol.ResponseAlreadyConnected))
	f.Add([]byte{0x9e, 0x79, 0xbc, 0x40, 0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff})
	f.Add([]byte{22, 3, 1, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, answer []byte) {
		here, there := pair(t)
		relay := fakeRelay(t, there, []byte("k"), answer, nil)
		c, err := join(context.Background(), here, []byte("k"), 2*time.Second)
		if err != nil {
			return
		}
		got, _ := io.ReadAll(io.LimitReader(c, 2*maxEarly+int64(len(answer))))
		if len(got) > len(answer) {
			t.Fatalf("read %d bytes from an answer of %d", len(got), len(answer))
		}
		<-relay
	})
}

// TestJoinGivesUpWithItsContext: a relay (or whoever answers at its
// address) that takes the join and never answers holds Join only as long
// as its context: before, a station's node stopping or a post's 立即同步
// being cancelled waited out the whole 10 s.
func TestJoinGivesUpWithItsContext(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	asked := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		_, _ = protocol.ReadMessage(c) // the join request, never answered
		asked <- c
	}()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		c, err := Join(ctx, protocol.SessionInvitation{Key: []byte("k"), Address: net.IPv4(127, 0, 0, 1).To4(), Port: uint16(ln.Addr().(*net.TCPAddr).Port)})
		if c != nil {
			c.Close()
		}
		done <- err
	}()
	c := <-asked
	defer c.Close()
	cancel()
	wait, stop := context.WithTimeout(context.Background(), 3*time.Second) // the join's own limit is 10 s
	defer stop()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("join given up: %v, want context.Canceled", err)
		}
	case <-wait.Done():
		t.Fatal("Join went on after its context ended")
	}
}

package retry

import (
	"testing"
	"time"
)

// TestRelayRejoinSoon: while a station is not joined to its
// relay, every post that reaches it only there is cut off. After a relay
// restart or reboot (or, after the station's own link dropped unseen, the
// relay refusing it "already connected" until it drops the old
// connection, up to 2 minutes), the station must be back within seconds
// of the relay taking it again, whatever the outage lasted: its retries
// cost a refused TCP connection or a TLS handshake with the county's
// relay. Before, its wait doubled to a minute, so a 64 s outage kept
// every post away for another 59 s.
func TestRelayRejoinSoon(t *testing.T) {
	for outage := time.Second; outage <= 2*time.Hour; outage += 500 * time.Millisecond {
		// The connection held for an hour, then every attempt fails at
		// once until the outage is over.
		var wait, at time.Duration
		up, tries := time.Hour, 0
		for at < outage {
			wait = Relay(wait, up, at)
			at += wait
			up = 0
			tries++
		}
		late := 10 * time.Second // a restart, a reboot, a stale connection
		if outage > RelaySoon {
			late = time.Minute // a relay down for long: asked once a minute
		}
		if at-outage > late {
			t.Fatalf("after a %v outage the station joins the relay again %v after it came back, want within %v", outage, at-outage, late)
		}
		if outage == time.Hour && tries > 100 {
			t.Errorf("%d tries in an hour's outage, want a minute apart after the first minutes", tries)
		}
	}
	// A connection that held a minute starts again from a second.
	if got := Relay(time.Minute, 2*time.Minute, time.Hour); got != time.Second {
		t.Errorf("after a connection that held: wait %v, want 1s", got)
	}
}

// TestDialSoonAfterOutage: a post's link to its station fails (its
// village link dropped, as it does every few minutes; the relay
// restarted). A try while its own link is down fails on this PC and costs
// nothing; so in the first minutes of an outage the post dials again
// within 30 s of the way being back. Before, its wait doubled to 5
// minutes at once: a 127 s drop kept it away 127 s more.
func TestDialSoonAfterOutage(t *testing.T) {
	for outage := time.Second; outage <= 2*time.Hour; outage += 500 * time.Millisecond {
		var wait, at time.Duration
		tries := 0
		for at < outage {
			wait = Dial(wait, at)
			at += wait
			tries++
		}
		late := 30 * time.Second
		if outage > DialSoon {
			late = 5 * time.Minute // down for long: asked every 5 minutes
		}
		if at-outage > late {
			t.Fatalf("after a %v outage the post dials again %v after the way is back, want within %v", outage, at-outage, late)
		}
		if outage == time.Hour && tries > 30 {
			t.Errorf("%d tries in an hour's outage, want 5 minutes apart after the first minutes", tries)
		}
	}
}

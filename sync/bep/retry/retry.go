// Package retry says how long sync/bep waits before trying again: a
// station to join its relay, a device to dial the device above it. Pure:
// it takes durations and gives durations (the callers hold the clock).
package retry

import "time"

// How long a station waits (sync/bep/relayaccept's Keep) before joining a relay
// again. While a station is not joined, every post that reaches it only
// there is cut off, so in the first RelaySoon of an outage (a relay restarted or its PC
// rebooted; the relay refusing the station "already connected" until it
// drops a connection of the station's that its link lost unseen, up to
// 2 minutes) it is back within RelayMax of the relay taking it again
// (with a minute, a 64 s outage kept the posts away 59 s more); a try costs
// a refused TCP connection, or a TLS handshake with the county's relay.
// Past that, a minute: a relay down for hours, or one that refuses this
// device for good (another program on it joined already), is asked once a
// minute, not six times.
const (
	RelayMax  = 10 * time.Second
	RelaySoon = 5 * time.Minute
)

// How long a device waits before dialling the device above it again. A
// post's village link drops every few minutes; a try while it is down
// fails on this PC (no route, or no answer from beyond the router) and
// costs nothing on the link, and one while the relay is restarting or the
// station not joined to it a TLS handshake with the relay. So in the first
// DialSoon of an outage a post dials again within DialMax of the way being
// back (its wait doubled to 5 minutes at once: a 127 s drop kept it
// away 127 s more); past that every 5 minutes, as before (a station
// down for a day costs a post some 12 tries an hour).
const (
	DialMax  = 30 * time.Second
	DialSoon = 5 * time.Minute
)

// Relay is how long a station waits before joining a relay again,
// after waiting prev the time before, a connection that lasted up and
// down since the last one that held: a second after one that held a
// minute, else twice as long as before, up to RelayMax in the first
// RelaySoon and a minute after.
func Relay(prev, up, down time.Duration) time.Duration {
	if up > time.Minute {
		return time.Second
	}
	limit := RelayMax
	if down > RelaySoon {
		limit = time.Minute
	}
	return min(max(2*prev, time.Second), limit)
}

// Dial is how long a device waits before dialling the device above it
// again (sync/bep's Node.Run: a post its station, a station its county)
// after a session that failed, having waited prev the time before, the
// link failing for down: twice as long as before from 2 s, up to DialMax
// in the first DialSoon and 5 minutes after.
func Dial(prev, down time.Duration) time.Duration {
	limit := DialMax
	if down > DialSoon {
		limit = 5 * time.Minute
	}
	return min(max(2*prev, 2*time.Second), limit)
}

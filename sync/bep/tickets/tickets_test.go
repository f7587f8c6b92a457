package tickets

import (
	"crypto/tls"
	"testing"
)

func TestTicketStoreBounded(t *testing.T) {
	s := NewStore()
	var first []byte
	for i := range maxTickets + 10 {
		h, err := s.wrap(tls.ConnectionState{}, &tls.SessionState{})
		if err != nil || len(h) != ticketLen {
			t.Fatalf("handle %x: %v", h, err)
		}
		if i == 0 {
			first = h
		}
	}
	if len(s.m) != maxTickets {
		t.Fatalf("%d states kept, want %d", len(s.m), maxTickets)
	}
	if st, err := s.unwrap(first, tls.ConnectionState{}); st != nil || err != nil {
		t.Fatalf("the oldest handle still resumes: %v %v", st, err)
	}
	h, _ := s.wrap(tls.ConnectionState{}, &tls.SessionState{})
	if st, _ := s.unwrap(h, tls.ConnectionState{}); st == nil {
		t.Fatal("a new handle does not resume")
	}
	if st, _ := s.unwrap(h, tls.ConnectionState{}); st != nil {
		t.Fatal("a handle resumed twice")
	}
	for range 4 * maxTickets { // used handles do not pile up
		h, _ := s.wrap(tls.ConnectionState{}, &tls.SessionState{})
		s.unwrap(h, tls.ConnectionState{})
	}
	if len(s.order) > 2*maxTickets {
		t.Fatalf("%d handles in order", len(s.order))
	}
}

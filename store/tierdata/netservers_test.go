package tierdata

import (
	"context"
	"cunjing/store"
	"errors"
	"slices"
	"testing"
)

// TestPublishServers: a station's published list is replaced as a whole
// (tombstones for servers taken off, back again when listed again, no
// change when published twice); a post may not publish; a bad record is
// named.
func TestPublishServers(t *testing.T) {
	ctx := context.Background()
	stn := newTestStore(t, store.RoleStation, nil)
	urls := func(ns []store.NetServer) []string {
		var out []string
		for _, n := range ns {
			out = append(out, n.Kind+" "+n.URL)
		}
		return out
	}
	steps := []struct {
		name string
		set  []store.NetServer
		want []string
		err  string
	}{
		{"two", []store.NetServer{{Kind: store.ServerDiscovery, URL: "https://a:8443/"}, {Kind: store.ServerRelay, URL: "relay://b:22067/"}},
			[]string{"discovery https://a:8443/", "relay relay://b:22067/"}, ""},
		{"same again", []store.NetServer{{Kind: store.ServerRelay, URL: "relay://b:22067/"}, {Kind: store.ServerDiscovery, URL: " https://a:8443/ "}},
			[]string{"discovery https://a:8443/", "relay relay://b:22067/"}, ""},
		{"relay taken off", []store.NetServer{{Kind: store.ServerDiscovery, URL: "https://a:8443/"}}, []string{"discovery https://a:8443/"}, ""},
		{"relay back", []store.NetServer{{Kind: store.ServerDiscovery, URL: "https://a:8443/"}, {Kind: store.ServerRelay, URL: "relay://b:22067/"}},
			[]string{"discovery https://a:8443/", "relay relay://b:22067/"}, ""},
		{"bad kind keeps the list", []store.NetServer{{Kind: "stun", URL: "stun://c"}}, []string{"discovery https://a:8443/", "relay relay://b:22067/"}, "kind"},
		{"two URLs in one keeps the list", []store.NetServer{{Kind: store.ServerRelay, URL: "relay://b relay://c"}}, []string{"discovery https://a:8443/", "relay relay://b:22067/"}, "url"},
		{"none", nil, nil, ""},
	}
	for _, st := range steps {
		before, _, err := stn.ChangesSince(ctx, stn.DeviceID(), 0, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		err = SetOwnServers(ctx, stn, st.set)
		var fe *store.FieldError
		switch {
		case st.err == "" && err != nil:
			t.Fatalf("%s: %v", st.name, err)
		case st.err != "" && (!errors.As(err, &fe) || fe.Field != st.err):
			t.Fatalf("%s: error %v, want a field error on %s", st.name, err, st.err)
		}
		got, err := OwnServers(ctx, stn)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(urls(got), st.want) {
			t.Errorf("%s: publishing %v", st.name, urls(got))
		}
		after, _, err := stn.ChangesSince(ctx, stn.DeviceID(), 0, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if st.name == "same again" && len(after) != len(before) {
			t.Errorf("publishing the same list again logged %d changes", len(after)-len(before))
		}
	}
	if pub, err := PublishedServers(ctx, stn); err != nil || len(pub) != 0 {
		t.Errorf("a station's own list counted as published to it: %v %v", pub, err)
	}
	post := newTestStore(t, store.RolePost, nil)
	if err := SetOwnServers(ctx, post, []store.NetServer{{Kind: store.ServerRelay, URL: "relay://b:22067/"}}); err == nil {
		t.Error("a post published servers")
	}
}

package servers

import (
	"testing"

	"github.com/syncthing/syncthing/lib/protocol"
)

func TestCheck(t *testing.T) {
	id := protocol.NewDeviceID([]byte("server")).String()
	tests := []struct {
		kind, url string
		ok        bool
	}{
		{Discovery, "https://disco.example.cn:8443/?id=" + id, true},
		{Discovery, "https://disco.example.cn/", true},
		{Relay, "relay://10.0.0.5:22067/?id=" + id, true},
		{Relay, "relay://10.0.0.5:22067", true},
		{Relay, "relay://10.0.0.5", false},
		{Discovery, "http://disco.example.cn/", false},
		{Relay, "https://10.0.0.5:22067/", false},
		{Discovery, "https:///", false},
		{Discovery, "https://disco.example.cn/?id=NOT-A-DEVICE", false},
		{Discovery, "://", false},
		{"mirror", "https://x/", false},
	}
	for _, tt := range tests {
		if err := Check(tt.kind, tt.url); (err == nil) != tt.ok {
			t.Errorf("Check(%s, %q) = %v, want ok=%v", tt.kind, tt.url, err, tt.ok)
		}
	}
}

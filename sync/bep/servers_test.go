package bep

import (
	"testing"

	"github.com/syncthing/syncthing/lib/protocol"
)

func TestCheckServerURL(t *testing.T) {
	id := protocol.NewDeviceID([]byte("server")).String()
	tests := []struct {
		kind, url string
		ok        bool
	}{
		{ServerDiscovery, "https://disco.example.cn:8443/?id=" + id, true},
		{ServerDiscovery, "https://disco.example.cn/", true},
		{ServerRelay, "relay://10.0.0.5:22067/?id=" + id, true},
		{ServerRelay, "relay://10.0.0.5:22067", true},
		{ServerRelay, "relay://10.0.0.5", false},
		{ServerDiscovery, "http://disco.example.cn/", false},
		{ServerRelay, "https://10.0.0.5:22067/", false},
		{ServerDiscovery, "https:///", false},
		{ServerDiscovery, "https://disco.example.cn/?id=NOT-A-DEVICE", false},
		{ServerDiscovery, "://", false},
		{"mirror", "https://x/", false},
	}
	for _, tt := range tests {
		if err := CheckServerURL(tt.kind, tt.url); (err == nil) != tt.ok {
			t.Errorf("CheckServerURL(%s, %q) = %v, want ok=%v", tt.kind, tt.url, err, tt.ok)
		}
	}
}

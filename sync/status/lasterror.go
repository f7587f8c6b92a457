package status

import "strings"

// The keys of why a session failed that the status reads itself (the
// mapping of an error to its key is sync/bep/why's, above sync's root).
const (
	// CauseOther: a failure the mapping does not know.
	CauseOther = "sync.why.other"
	// CauseForgotten: the peer does not know this device (it refused it
	// in words at its hello: a station restored from a backup made
	// before it paired this post).
	CauseForgotten = "sync.why.forgotten"
)

// problemWords are the short Chinese clauses of the keys, for 上次的问题.
func problemWords() map[string]string {
	return map[string]string{
		CauseForgotten:            "对方不认识本机（它那边没有和本机配对）",
		"sync.why.wrongDevice":    "这个地址上是另一台设备",
		"sync.why.pairRefused":    "对方拒绝了配对",
		"sync.why.busy":           "本机另一个程序正在和对方同步",
		"sync.why.relayNotPinned": "中继服务器的证书不对",
		"sync.why.notAtRelay":     "对方不在中继服务器上",
		"sync.why.relayDown":      "连不上中继服务器",
		"sync.why.badServer":      "发现服务器的回答不对",
		"sync.why.silent":         "连接中途断了",
		"sync.why.refused":        "对方的电脑拒绝了连接",
		"sync.why.noHost":         "找不到对方地址里的主机名",
		"sync.why.noRoute":        "网络不通，到不了对方",
		"sync.why.tls":            "对方不认这次连接",
		"sync.why.timeout":        "等对方回应超时",
		"sync.why.closed":         "对方断开了连接",
		"sync.why.noAddress":      "不知道对方的地址",
	}
}

// ProblemWords is the short Chinese clause of a key of why a session
// failed ("" for CauseOther and a key not known).
func ProblemWords(key string) string { return problemWords()[key] }

// StoredError is err as a peer's last error is kept (syncbook's
// last_error): the key of why it failed in brackets, then its text; ""
// for nil.
func StoredError(key string, err error) string {
	if err == nil {
		return ""
	}
	return "[" + key + "] " + err.Error()
}

// ParseLastError splits a kept last error into its key and its text. One
// kept by a version before StoredError has no key: CauseOther when it is
// not empty.
func ParseLastError(stored string) (key, text string) {
	if rest, ok := strings.CutPrefix(stored, "[sync.why."); ok {
		if k, t, ok := strings.Cut(rest, "] "); ok && !strings.ContainsAny(k, " ]") {
			return "sync.why." + k, t
		}
	}
	if stored == "" {
		return "", ""
	}
	return CauseOther, stored
}

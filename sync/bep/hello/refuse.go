package hello

import (
	"encoding/binary"
	"io"
	"strings"
	"time"

	"github.com/syncthing/syncthing/lib/protocol"
)

// NotPairedReason is the reason of the BEP Close a device sends a device
// it does not know that greeted it as paired (Refuse): a station restored
// from a backup made before it paired the post, say. The post tells it
// from a link that failed (Refused).
const NotPairedReason = "cunjing: device not paired here"

// Refuse answers the Hello of a device this one does not know with its
// own (self) and a BEP Close saying NotPairedReason, so the device hears
// why, not a bare EOF. c is the connection, the device's Hello unread;
// heard is called with it before the Close goes (what the device is told
// is then already noted here).
func Refuse(c io.ReadWriter, self protocol.Hello, heard func(protocol.Hello)) error {
	theirs, err := protocol.ExchangeHello(c, self)
	if err != nil {
		return err
	}
	heard(theirs)
	_, err = c.Write(closeMessage(NotPairedReason))
	return err
}

// closeMessage is a whole BEP Close message, uncompressed: header length,
// header (type 7, Close), message length, the message (field 1, reason).
func closeMessage(reason string) []byte {
	msg := binary.AppendUvarint([]byte{0x0a}, uint64(len(reason)))
	msg = append(msg, reason...)
	b := []byte{0, 2, 0x08, 7}
	b = binary.BigEndian.AppendUint32(b, uint32(len(msg)))
	return append(b, msg...)
}

// Refused reports whether err ended a session because the peer does not
// know this device (its Close said NotPairedReason).
func Refused(err error) bool {
	return err != nil && strings.Contains(err.Error(), "closed by remote: "+NotPairedReason)
}

// Linger lets the refused device read the Close before the connection
// goes: it reads until the device, having read it, closes, or wait
// passes. (Closing first would have the device's reader see the end of
// the link and say that instead, or a reset throw the Close away.)
func Linger(c interface {
	io.Reader
	SetReadDeadline(time.Time) error
}, wait time.Duration) {
	_ = c.SetReadDeadline(time.Now().Add(wait))
	_, _ = io.Copy(io.Discard, io.LimitReader(c, 1<<20))
}

package print

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"strings"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"

	"cunjing/print/typeset"
)

// Contact is a post's public contact as boards and cards print it.
type Contact struct {
	Post    string // 警务室, e.g. "柳树村警务室"
	Officer string // 民警 name
	Title   string // e.g. "社区民警"; "" prints 民警
	Phone   string
	Address string
	Station string // 派出所, e.g. "城关派出所"
	// QR is the QR payload; "" encodes a vCard of the above (scanning
	// offers to save the contact), "tel" encodes just the phone.
	QR string
}

// Org is who the post is, as its boards and leaflets name it: the township
// and the post (城关镇 张庄村警务室), the township once when the post's own
// name begins with it (城关镇张庄村警务室, not 城关镇 城关镇张庄村警务室).
func (c Contact) Org() string {
	st, post := strings.TrimSpace(c.Station), strings.TrimSpace(c.Post)
	if st != "" && strings.HasPrefix(post, st) {
		st = ""
	}
	return strings.TrimSpace(st + " " + post)
}

// vCardEscape escapes text values per RFC 6350 §3.4.
func vCardEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`, "\n", `\n`).Replace(s)
}

// QRImage is the contact's QR code as s makes it: the image and the key
// s.Image draws it by.
func (c Contact) QRImage(s Surface) (image.Image, string, error) {
	payload, err := c.QRPayload()
	if err != nil {
		return nil, "", err
	}
	return s.QR(payload)
}

// QRPayload is what the contact's QR code says.
func (c Contact) QRPayload() (string, error) {
	phone := typeset.Dial(c.Phone)
	switch c.QR {
	case "":
	case "tel":
		if phone == "" {
			return "", fmt.Errorf("contact QR: no phone number to encode")
		}
		return "tel:" + phone, nil
	default:
		return c.QR, nil
	}
	if phone == "" && c.Officer == "" && c.Post == "" {
		return "", fmt.Errorf("contact QR: no officer, post or phone to encode")
	}
	name := c.Officer
	if name == "" {
		name = c.Post
	}
	var b strings.Builder
	b.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\n")
	fmt.Fprintf(&b, "N:%s;;;;\r\nFN:%s\r\n", vCardEscape(name), vCardEscape(name))
	if org := c.Org(); org != "" && c.Officer != "" {
		fmt.Fprintf(&b, "ORG:%s\r\n", vCardEscape(org))
	}
	if c.Title != "" {
		fmt.Fprintf(&b, "TITLE:%s\r\n", vCardEscape(c.Title))
	}
	if phone != "" {
		fmt.Fprintf(&b, "TEL;TYPE=WORK,VOICE:%s\r\n", phone)
	}
	if c.Address != "" {
		fmt.Fprintf(&b, "ADR;TYPE=WORK:;;%s;;;;\r\n", vCardEscape(c.Address))
	}
	b.WriteString("END:VCARD\r\n")
	return b.String(), nil
}

// qrModulePx is the pixel size of one QR module in the embedded image:
// large enough that viewers scaling it up smoothly still show crisp edges.
const qrModulePx = 6

// qrImage encodes payload at level M (15% damage tolerance: boards get
// dirty) with a 4-module quiet zone, and returns it with a content key.
func qrImage(payload string) (image.Image, string, error) {
	code, err := qr.Encode(payload, qr.M, qr.Auto)
	if err != nil {
		return nil, "", fmt.Errorf("encode QR (%d bytes): %w", len(payload), err)
	}
	n := code.Bounds().Dx()
	side := (n + 8) * qrModulePx
	scaled, err := barcode.Scale(code, n*qrModulePx, n*qrModulePx)
	if err != nil {
		return nil, "", fmt.Errorf("scale QR: %w", err)
	}
	img := image.NewGray(image.Rect(0, 0, side, side))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	off := 4 * qrModulePx
	b := scaled.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, _, _, _ := scaled.At(x, y).RGBA()
			if r < 0x8000 {
				img.Pix[(y-b.Min.Y+off)*img.Stride+(x-b.Min.X+off)] = 0
			}
		}
	}
	sum := sha256.Sum256([]byte(payload))
	return img, "qr-" + hex.EncodeToString(sum[:8]), nil
}

package costboard

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"cunjing/print"
	"cunjing/print/printtest"
)

// syntheticBoards makes n personalised A3 boards with the lines the
// template prints at A3: each venue its own name and its nearest post's
// contact (one post per 30 venues, as in a county).
func syntheticBoards(b testing.TB, n int, tpl Template) []Board {
	items := DefaultItemsFor(context.Background(), tpl, print.SizeA3, printtest.CostItems(b))
	boards := make([]Board, n)
	for i := range boards {
		c := testContact()
		post := i / 30
		c.Post = fmt.Sprintf("第%d村警务室", post+1)
		c.Officer = []string{"王建国", "李娜", "张伟", "刘洋", "陈静"}[post%5]
		c.Phone = fmt.Sprintf("138%08d", 10000000+post)
		boards[i] = Default(items, fmt.Sprintf("第%d号店铺 · %s", i+1, []string{"小卖部", "诊所", "饭店", "理发店"}[i%4]), c)
	}
	return boards
}

// BenchmarkBoards900A3 is the batch: 900 personalised A3 boards in one PDF,
// the font embedded once, QR images shared per post.
func BenchmarkBoards900A3(b *testing.B) {
	font := printtest.Font(b)
	boards := syntheticBoards(b, 900, TemplateTable)
	l := Layout{Template: TemplateTable, Size: print.SizeA3}
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteAll(context.Background(), &buf, font, boards, l, print.DocInfo{}, nil); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size)/1e6, "MB")
}

// BenchmarkBoards900A3Naive is the baseline: one PDF per board, each with
// its own embedded font, as printing venue by venue would do.
func BenchmarkBoards900A3Naive(b *testing.B) {
	font := printtest.Font(b)
	boards := syntheticBoards(b, 900, TemplateTable)
	l := Layout{Template: TemplateTable, Size: print.SizeA3}
	var size int
	for b.Loop() {
		size = 0
		for _, bd := range boards {
			var buf bytes.Buffer
			if err := Write(&buf, font, bd, l); err != nil {
				b.Fatal(err)
			}
			size += buf.Len()
		}
	}
	b.ReportMetric(float64(size)/1e6, "MB")
}

// BenchmarkPreviewA3 is the designer's live preview at a typical width.
func BenchmarkPreviewA3(b *testing.B) {
	font := printtest.Font(b)
	bd := syntheticBoards(b, 1, TemplateTable)[0]
	for b.Loop() {
		if _, err := Preview(font, bd, Layout{Template: TemplateTable, Size: print.SizeA3}, 600); err != nil {
			b.Fatal(err)
		}
	}
}

package uitest

import "io"

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// NopCloser is w with a Close that does nothing (a buffer where a file
// would go).
func NopCloser(w io.Writer) io.WriteCloser { return nopCloser{w} }

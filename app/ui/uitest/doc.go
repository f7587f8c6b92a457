// Package uitest is what the tests of the shell and the areas share: the
// fixture post, a headless environment whose background work the test
// drains on its own goroutine, a CJK font where the machine has one, and
// helpers that read a widget tree as text and find its buttons. Only
// tests import it.
package uitest

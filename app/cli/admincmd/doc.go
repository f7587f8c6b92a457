// Package admincmd holds the commands that look after a database as a
// whole: backup and restore, local users (user add), a demo post
// (demo), what a database holds and who it is (info), and its canonical
// dump for comparing copies (dump).
package admincmd

//go:build !unix

package safefile

// openNoFollow is 0 where the system has no O_NOFOLLOW: openRegular's
// lstat and same-file check catch a link there.
const openNoFollow = 0

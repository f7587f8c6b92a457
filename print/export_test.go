package print

// TestContact is the post on the test papers, for the tests outside the
// package (the golden images, docs/img).
var TestContact = testContact

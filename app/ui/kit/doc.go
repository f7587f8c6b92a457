// Package kit is what every area of the window shares: the theme and its
// CJK font, small widgets and layouts, the edit form that puts a store
// validation problem next to its field, the stored words and how they
// read in the UI language, and the user's settings.
//
// Nothing here knows an area; the areas (app/ui/<area>) and the shell
// (app/ui) import it.
package kit

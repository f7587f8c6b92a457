package mapcmd

// SetBeforeSave sets what runs between reading and merging a village's
// map and saving it in `map import` (nil: nothing), for the tests.
func SetBeforeSave(f func()) { beforeSave = f }

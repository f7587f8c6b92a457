// Package edit owns editing a village map: the Editor with undo and redo,
// each change one step (add, move, reshape, delete, numbers, the base
// image and its scale), picking what is under the pointer, and the set of
// features a save must write (DirtySet).
package edit

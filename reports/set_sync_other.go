//go:build !linux

package reports

// syncTree makes everything under root durable, file by file.
func syncTree(root string) error { return syncTreeWalk(root) }

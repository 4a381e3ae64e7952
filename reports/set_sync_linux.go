package reports

import (
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// syncManyFiles is the number of staged files past which syncTree syncs
// the whole file system at once.
const syncManyFiles = 64

// syncTree makes everything under root durable. A few files (the reports)
// are synced one by one: only their data is written. Many files (ready/ and
// held/ of a drop of thousands of inputs) would cost a journal commit each,
// so then one syncfs(2) flushes the file system in one commit, at the price
// of writing other programs' pending data too; where syncfs is refused, it
// syncs file by file.
func syncTree(root string) error {
	n := 0
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		if n > syncManyFiles {
			return filepath.SkipAll
		}
		return nil
	})
	if n > syncManyFiles {
		if d, err := os.Open(root); err == nil {
			err = unix.Syncfs(int(d.Fd()))
			d.Close()
			if err == nil {
				return nil
			}
		}
	}
	return syncTreeWalk(root)
}

package history

import "context"

// SetHookBeforeCommit makes Record call f inside its transaction, once every
// row is written; the returned func restores the previous hook.
func SetHookBeforeCommit(f func(context.Context)) (restore func()) {
	old := testHookBeforeCommit
	testHookBeforeCommit = f
	return func() { testHookBeforeCommit = old }
}

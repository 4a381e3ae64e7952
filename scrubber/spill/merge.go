package spill

// A Run yields sorted values, one a call, each valid until the next call;
// nil at its end.
type Run[T any] func() (*T, error)

// SliceRun is a Run of the values of s.
func SliceRun[T any](s []T) Run[T] {
	return func() (*T, error) {
		if len(s) == 0 {
			return nil, nil
		}
		v := &s[0]
		s = s[1:]
		return v, nil
	}
}

// Merge calls fn with every value of the runs in order (less): a k-way
// merge of sorted runs. Of equal values, the earlier run's goes first. It
// stops at the first error of a run or of fn.
func Merge[T any](runs []Run[T], less func(a, b *T) bool, fn func(*T) error) error {
	heads := make([]*T, len(runs))
	for i, next := range runs {
		v, err := next()
		if err != nil {
			return err
		}
		heads[i] = v
	}
	for {
		best := -1
		for i, v := range heads {
			if v != nil && (best < 0 || less(v, heads[best])) {
				best = i
			}
		}
		if best < 0 {
			return nil
		}
		if err := fn(heads[best]); err != nil {
			return err
		}
		v, err := runs[best]()
		if err != nil {
			return err
		}
		heads[best] = v
	}
}

package otcswr

import (
	"io"
	"sync"
	"time"
)

// uploadClaims make one upload per blob per registry across all the tasks
// of a process: Harbor's tasks run at once (jobservice's workers), and each
// checks BlobExist and CanBeMount before any of them has uploaded a shared
// layer, so without this each would upload it. The first task to ask
// CanBeMount about a blob nobody has claims it and uploads it (PushBlob);
// the others wait in CanBeMount until that upload ends, then mount the blob
// from where it went. A claim whose upload makes no progress for
// claimIdle (the claiming task failed before its push, or stalled) is given
// up, and the waiters upload themselves.
type uploadClaims struct {
	mu     sync.Mutex
	claims map[string]*uploadClaim // digest -> claim in progress
}

type uploadClaim struct {
	done     chan struct{} // closed when the upload ended
	mu       sync.Mutex
	active   time.Time // last sign of progress
	finished bool
}

const claimIdle = 30 * time.Second

func (c *uploadClaim) touch() {
	c.mu.Lock()
	c.active = time.Now()
	c.mu.Unlock()
}

func (c *uploadClaim) idleFor() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Since(c.active)
}

// claim returns the claim on digest and whether the caller made it (and so
// uploads the blob).
func (u *uploadClaims) claim(digest string) (*uploadClaim, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.claims == nil {
		u.claims = map[string]*uploadClaim{}
	}
	if c, ok := u.claims[digest]; ok {
		return c, false
	}
	c := &uploadClaim{done: make(chan struct{}), active: time.Now()}
	u.claims[digest] = c
	return c, true
}

// uploading marks an upload of digest as under way (claiming it when no
// task did) and returns the function that ends it.
func (u *uploadClaims) uploading(digest string) (touch func(), end func()) {
	c, _ := u.claim(digest)
	c.touch()
	return c.touch, func() {
		u.mu.Lock()
		if u.claims[digest] == c {
			delete(u.claims, digest)
		}
		u.mu.Unlock()
		c.mu.Lock()
		if !c.finished {
			c.finished = true
			close(c.done)
		}
		c.mu.Unlock()
	}
}

// wait blocks until the claim's upload ends (true) or it stalls (false).
func (u *uploadClaims) wait(digest string, c *uploadClaim) bool {
	for {
		select {
		case <-c.done:
			return true
		case <-time.After(time.Second):
			if c.idleFor() > claimIdle {
				u.mu.Lock()
				if u.claims[digest] == c {
					delete(u.claims, digest) // given up: the next asker claims it afresh
				}
				u.mu.Unlock()
				return false
			}
		}
	}
}

// progressReader marks progress as the blob's bytes pass.
type progressReader struct {
	r     io.Reader
	touch func()
	last  time.Time
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 && time.Since(p.last) > time.Second {
		p.touch()
		p.last = time.Now()
	}
	return n, err
}

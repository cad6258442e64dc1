// countproxy sits in front of the benchmark's destination registry and counts
// what the tools send it: blob uploads completed, request body bytes, and
// requests by method. GET /_proxystats answers the counts as JSON; DELETE
// resets them. Standard library only; loopback only.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
)

type counter struct {
	n atomic.Int64
	r io.ReadCloser
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
func (c *counter) Close() error { return c.r.Close() }

type stats struct {
	mu       sync.Mutex
	Uploads  int64            `json:"uploads"`
	Bytes    int64            `json:"bytes_received"`
	Requests map[string]int64 `json:"requests"`
}

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address (loopback)")
	target := flag.String("target", "", "the registry, http://127.0.0.1:PORT")
	addrFile := flag.String("addr-file", "", "write host:port here once listening")
	flag.Parse()
	u, err := url.Parse(*target)
	if err != nil || u.Host == "" {
		log.Fatal("need -target")
	}
	st := &stats{Requests: map[string]int64{}}
	proxy := httputil.NewSingleHostReverseProxy(u)
	proxy.FlushInterval = -1
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	self := ln.Addr().String()
	// Locations name the registry; clients must keep talking to the proxy.
	proxy.ModifyResponse = func(r *http.Response) error {
		if loc := r.Header.Get("Location"); loc != "" {
			r.Header.Set("Location", strings.Replace(loc, u.Host, self, 1))
		}
		return nil
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/_proxystats" {
			st.mu.Lock()
			defer st.mu.Unlock()
			if r.Method == http.MethodDelete {
				st.Uploads, st.Bytes, st.Requests = 0, 0, map[string]int64{}
				w.WriteHeader(http.StatusNoContent)
				return
			}
			_ = json.NewEncoder(w).Encode(st)
			return
		}
		c := &counter{r: r.Body}
		if r.Body != nil {
			r.Body = c
		}
		rec := &statusWriter{ResponseWriter: w}
		proxy.ServeHTTP(rec, r)
		st.mu.Lock()
		st.Requests[r.Method]++
		st.Bytes += c.n.Load()
		if r.Method == http.MethodPut && strings.Contains(r.URL.Path, "/blobs/uploads/") && rec.status == http.StatusCreated {
			st.Uploads++
		}
		st.mu.Unlock()
	})
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile, []byte(self+"\n"), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Fprintln(os.Stderr, "countproxy on", self, "->", *target)
	log.Fatal(http.Serve(ln, handler))
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

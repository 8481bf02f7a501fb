package main

import (
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// work is what a request to / does, made worse by the version's fault.
type work struct {
	fault    string
	requests atomic.Int64
	block    chan struct{}
	mu       sync.Mutex
	kept     [][]byte
}

func newWork(fault string) *work {
	return &work{fault: fault, block: make(chan struct{})}
}

func (w *work) hello(rw http.ResponseWriter, _ *http.Request) {
	n := w.requests.Add(1)
	switch w.fault {
	case "goroutine-leak":
		for i := 0; i < 5; i++ {
			go w.waitForever()
		}
	case "heap-growth":
		w.mu.Lock()
		w.kept = append(w.kept, make([]byte, 64<<10))
		w.mu.Unlock()
	case "errors":
		if n%4 == 0 {
			http.Error(rw, "hello failed", http.StatusInternalServerError)
			return
		}
	case "slow":
		time.Sleep(50 * time.Millisecond)
	}
	fmt.Fprintf(rw, "%s from %s\n", greeting, version)
}

// waitForever is the leaked goroutine: its stack is what the canary analysis names.
func (w *work) waitForever() {
	<-w.block
}

// hello is the Go service that Gantry's demo and end-to-end test build, roll out and watch. It
// uses the standard library only and has what Gantry reads from a Go service:
//
//	/                 answers "<greeting> from <version>" (the work that faults make worse)
//	/healthz          200 once it serves
//	/metrics          Prometheus text format: requests by status code, a latency histogram,
//	                  goroutines and process CPU
//	/debug/pprof/     Go's profiles (net/http/pprof)
//
// It listens on 127.0.0.1:$PORT (default 8080). The build injects version and commit with -X.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

var (
	version = "dev"
	commit  = "unknown"
)

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version, commit)
		return
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	if _, err := strconv.Atoi(port); err != nil {
		log.Fatalf("PORT must be a number, was %q", port)
	}

	m := newMetrics()
	w := newWork(fault)
	mux := http.NewServeMux()
	mux.Handle("/", m.instrument(http.HandlerFunc(w.hello)))
	mux.HandleFunc("/healthz", func(rw http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(rw, "ok")
	})
	mux.HandleFunc("/metrics", m.serve)
	// net/http/pprof registers on the default mux
	mux.Handle("/debug/pprof/", http.DefaultServeMux)

	addr := "127.0.0.1:" + port
	log.Printf("hello %s (%s, fault %q) listening on %s", version, commit, fault, addr)
	server := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(server.ListenAndServe())
}

// processCPUSeconds is the user and system CPU time of this process so far.
func processCPUSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

func goroutines() int { return runtime.NumGoroutine() }

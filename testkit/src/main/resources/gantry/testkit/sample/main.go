// gantry-sample is the Go service the tests deploy: it answers with its version, exposes Go's
// pprof endpoints and Prometheus metrics, and misbehaves on request, so that a canary can be
// told apart from its stable version.
//
//	-addr      where to listen (default 127.0.0.1:8080; PORT in the environment wins)
//	SAMPLE_LEAK_PER_REQUEST  goroutines leaked by every request to / (default 0)
//	SAMPLE_ERROR_EVERY       every Nth request to / answers 500 (default 0: never)
//	SAMPLE_DELAY_MS          added to every request to / (default 0)
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	_ "net/http/pprof"
	"os"
	"strconv"
	"sync/atomic"
	"time"
)

var version = "dev"

var (
	requests atomic.Int64
	errors   atomic.Int64
	leaked   atomic.Int64
)

func envInt(name string) int64 {
	v, err := strconv.ParseInt(os.Getenv(name), 10, 64)
	if err != nil {
		return 0
	}
	return v
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *showVersion {
		fmt.Println(version)
		return
	}
	if port := os.Getenv("PORT"); port != "" {
		*addr = "127.0.0.1:" + port
	}
	leak, errorEvery, delay := envInt("SAMPLE_LEAK_PER_REQUEST"), envInt("SAMPLE_ERROR_EVERY"), envInt("SAMPLE_DELAY_MS")
	block := make(chan struct{})

	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		n := requests.Add(1)
		for i := int64(0); i < leak; i++ {
			leaked.Add(1)
			go func() { <-block }()
		}
		if delay > 0 {
			time.Sleep(time.Duration(delay) * time.Millisecond)
		}
		if errorEvery > 0 && n%errorEvery == 0 {
			errors.Add(1)
			http.Error(w, "sample error", http.StatusInternalServerError)
			return
		}
		fmt.Fprintln(w, version)
	})
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	http.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		fmt.Fprintf(w, "# TYPE sample_requests_total counter\nsample_requests_total %d\n", requests.Load())
		fmt.Fprintf(w, "# TYPE sample_errors_total counter\nsample_errors_total %d\n", errors.Load())
		fmt.Fprintf(w, "# TYPE sample_leaked_goroutines gauge\nsample_leaked_goroutines %d\n", leaked.Load())
		fmt.Fprintf(w, "# TYPE sample_build_info gauge\nsample_build_info{version=%q} 1\n", version)
	})
	log.Printf("gantry-sample %s listening on %s", version, *addr)
	log.Fatal(http.ListenAndServe(*addr, nil))
}

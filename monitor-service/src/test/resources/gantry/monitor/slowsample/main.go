// slowsample is a Go service for monitor-service's latency and CPU tests: it answers / after
// sleeping SLOW_DELAY_MS and burning SLOW_SPIN_MS of CPU, keeps SLOW_RETAIN_KB of memory per
// request for good (a heap that only grows), and exposes what a Prometheus client
// library would, written by hand with the standard library only: a request counter by status
// code, the _sum and _count of a request duration histogram, process_cpu_seconds_total,
// process_resident_memory_bytes and go_goroutines, next to net/http/pprof.
package main

import (
	"fmt"
	"log"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

var (
	mu       sync.Mutex
	requests int64
	sum      float64
)

func main() {
	delay, _ := strconv.Atoi(os.Getenv("SLOW_DELAY_MS"))
	spin, _ := strconv.Atoi(os.Getenv("SLOW_SPIN_MS"))
	retainKB, _ := strconv.Atoi(os.Getenv("SLOW_RETAIN_KB"))
	var retained [][]byte
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		time.Sleep(time.Duration(delay) * time.Millisecond)
		x := 0
		for busy := time.Now(); time.Since(busy) < time.Duration(spin)*time.Millisecond; {
			x++
		}
		fmt.Fprintln(w, "ok", x%2)
		mu.Lock()
		if retainKB > 0 {
			block := make([]byte, retainKB*1024)
			for i := range block {
				block[i] = byte(i)
			}
			retained = append(retained, block)
		}
		requests++
		sum += time.Since(start).Seconds()
		mu.Unlock()
	})
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	http.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		fmt.Fprintf(w, "# TYPE http_requests_total counter\nhttp_requests_total{code=\"200\",method=\"get\"} %d\n", requests)
		fmt.Fprintf(w, "# TYPE http_request_duration_seconds histogram\n")
		fmt.Fprintf(w, "http_request_duration_seconds_bucket{le=\"+Inf\"} %d\n", requests)
		fmt.Fprintf(w, "http_request_duration_seconds_sum %g\n", sum)
		fmt.Fprintf(w, "http_request_duration_seconds_count %d\n", requests)
		var ru syscall.Rusage
		if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
			cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
			fmt.Fprintf(w, "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total %g\n", cpu.Seconds())
		}
		if statm, err := os.ReadFile("/proc/self/statm"); err == nil {
			if f := strings.Fields(string(statm)); len(f) > 1 {
				pages, _ := strconv.Atoi(f[1])
				fmt.Fprintf(w, "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes %d\n", pages*os.Getpagesize())
			}
		}
		fmt.Fprintf(w, "# TYPE go_goroutines gauge\ngo_goroutines %d\n", runtime.NumGoroutine())
	})
	log.Fatal(http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil))
}

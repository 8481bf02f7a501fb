package main

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

var bucketBounds = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}

// metrics counts requests to / by status code and their durations, in the Prometheus text format.
type metrics struct {
	mu      sync.Mutex
	byCode  map[int]int64
	buckets []int64 // cumulative counts are computed when served
	count   int64
	sum     float64
}

// newMetrics exposes the codes this service answers at 0 from its start, as Prometheus advises for
// labelled counters: a scrape before the first request is then a baseline of zero, not a counter
// that is missing, and a canary's first errors count from its first scrape.
func newMetrics() *metrics {
	return &metrics{
		byCode:  map[int]int64{http.StatusOK: 0, http.StatusInternalServerError: 0},
		buckets: make([]int64, len(bucketBounds)),
	}
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.code = code
	r.ResponseWriter.WriteHeader(code)
}

func (m *metrics) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: rw, code: http.StatusOK}
		next.ServeHTTP(rec, req)
		m.observe(rec.code, time.Since(start).Seconds())
	})
}

func (m *metrics) observe(code int, seconds float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.byCode[code]++
	m.count++
	m.sum += seconds
	for i, bound := range bucketBounds {
		if seconds <= bound {
			m.buckets[i]++
			break
		}
	}
}

func (m *metrics) serve(rw http.ResponseWriter, _ *http.Request) {
	var b strings.Builder
	m.mu.Lock()
	codes := make([]int, 0, len(m.byCode))
	for code := range m.byCode {
		codes = append(codes, code)
	}
	sort.Ints(codes)
	b.WriteString("# HELP http_requests_total Requests to / by status code.\n")
	b.WriteString("# TYPE http_requests_total counter\n")
	for _, code := range codes {
		fmt.Fprintf(&b, "http_requests_total{code=\"%d\"} %d\n", code, m.byCode[code])
	}
	b.WriteString("# HELP http_request_duration_seconds How long requests to / took.\n")
	b.WriteString("# TYPE http_request_duration_seconds histogram\n")
	var cumulative int64
	for i, bound := range bucketBounds {
		cumulative += m.buckets[i]
		fmt.Fprintf(&b, "http_request_duration_seconds_bucket{le=\"%g\"} %d\n", bound, cumulative)
	}
	fmt.Fprintf(&b, "http_request_duration_seconds_bucket{le=\"+Inf\"} %d\n", m.count)
	fmt.Fprintf(&b, "http_request_duration_seconds_sum %g\n", m.sum)
	fmt.Fprintf(&b, "http_request_duration_seconds_count %d\n", m.count)
	m.mu.Unlock()
	b.WriteString("# HELP go_goroutines Goroutines that currently exist.\n")
	b.WriteString("# TYPE go_goroutines gauge\n")
	fmt.Fprintf(&b, "go_goroutines %d\n", goroutines())
	b.WriteString("# HELP process_cpu_seconds_total User and system CPU time spent in seconds.\n")
	b.WriteString("# TYPE process_cpu_seconds_total counter\n")
	fmt.Fprintf(&b, "process_cpu_seconds_total %g\n", processCPUSeconds())
	fmt.Fprintf(&b, "# TYPE hello_build_info gauge\nhello_build_info{version=%q,commit=%q} 1\n", version, commit)
	rw.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	_, _ = rw.Write([]byte(b.String()))
}

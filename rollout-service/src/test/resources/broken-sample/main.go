// broken-sample is a Go service that is not healthy when it should be: with mode "unhealthy" it
// serves, but its /healthz answers 500; with mode "exit" it exits at once, as a binary with a bad
// flag or a missing config would; with mode "slow" it serves at once but its /healthz answers 503
// until healthyAfterMs have passed, as a service that warms a cache or waits for a dependency does.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"
	"time"
)

var (
	version        = "dev"
	mode           = "unhealthy"
	healthyAfterMs = "0"
)

func main() {
	if mode == "exit" {
		log.Printf("broken-sample %s: exiting at once", version)
		os.Exit(3)
	}
	started := time.Now()
	wait, _ := strconv.Atoi(healthyAfterMs)
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, version)
	})
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		switch {
		case mode != "slow":
			http.Error(w, "not ready", http.StatusInternalServerError)
		case time.Since(started) < time.Duration(wait)*time.Millisecond:
			http.Error(w, "warming up", http.StatusServiceUnavailable)
		default:
			fmt.Fprintln(w, "ok")
		}
	})
	log.Fatal(http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil))
}

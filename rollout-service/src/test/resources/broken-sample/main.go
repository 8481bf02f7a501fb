// broken-sample is a Go service that never becomes healthy: with mode "unhealthy" it serves, but
// its /healthz answers 500; with mode "exit" it exits at once, as a binary with a bad flag or a
// missing config would.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

var (
	version = "dev"
	mode    = "unhealthy"
)

func main() {
	if mode == "exit" {
		log.Printf("broken-sample %s: exiting at once", version)
		os.Exit(3)
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, version)
	})
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "not ready", http.StatusInternalServerError)
	})
	log.Fatal(http.ListenAndServe("127.0.0.1:"+os.Getenv("PORT"), nil))
}

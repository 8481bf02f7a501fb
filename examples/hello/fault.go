package main

// fault is how this version misbehaves. It is a constant on purpose: a bad version is a real
// commit that changes it, built and rolled out like any other, not a flag flipped at run time.
//
//	"none"            a healthy service
//	"goroutine-leak"  every request to / leaves 5 goroutines blocked forever
//	"heap-growth"     every request to / keeps 64 KiB that is never released
//	"errors"          every 4th request to / answers 500
//	"slow"            every request to / takes 50 ms longer
const fault = "none"

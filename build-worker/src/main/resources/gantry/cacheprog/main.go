// gantry-cacheprog relays the go command's GOCACHEPROG protocol between its stdin/stdout and the
// build-worker that started the build, over the Unix socket named by its only argument. The worker
// serves the cache; this program only carries bytes, so it needs nothing but the syscall package.
package main

import (
	"io"
	"os"
	"syscall"
)

func main() {
	if len(os.Args) != 2 {
		fail("usage: gantry-cacheprog <socket>")
	}
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		fail("socket: " + err.Error())
	}
	if err := syscall.Connect(fd, &syscall.SockaddrUnix{Name: os.Args[1]}); err != nil {
		fail("connect " + os.Args[1] + ": " + err.Error())
	}
	conn := os.NewFile(uintptr(fd), "gantry-worker")
	go func() {
		io.Copy(conn, os.Stdin)
		syscall.Shutdown(fd, syscall.SHUT_WR)
	}()
	io.Copy(os.Stdout, conn)
}

func fail(msg string) {
	os.Stderr.WriteString("gantry-cacheprog: " + msg + "\n")
	os.Exit(1)
}

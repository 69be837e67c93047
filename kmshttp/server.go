package kmshttp

import (
	"net/http"
	"time"
)

// Timeouts and limits of [NewServer].
const (
	ServerReadHeaderTimeout = 10 * time.Second
	ServerReadTimeout       = 60 * time.Second
	ServerWriteTimeout      = 60 * time.Second
	ServerIdleTimeout       = 120 * time.Second
	ServerMaxHeaderBytes    = 64 << 10
)

// NewServer returns an HTTP server for h on addr (":4566", say) with
// timeouts that keep slow or stalled clients from holding connections:
// headers must arrive within [ServerReadHeaderTimeout], the whole request
// within [ServerReadTimeout], the response must be written within
// [ServerWriteTimeout], and idle keep-alive connections close after
// [ServerIdleTimeout]. Request headers are limited to
// [ServerMaxHeaderBytes]; the body limit is the Handler's
// (Config.MaxBodyBytes).
//
// Start it with ListenAndServe and stop it with Shutdown as any
// *http.Server.
func NewServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: ServerReadHeaderTimeout,
		ReadTimeout:       ServerReadTimeout,
		WriteTimeout:      ServerWriteTimeout,
		IdleTimeout:       ServerIdleTimeout,
		MaxHeaderBytes:    ServerMaxHeaderBytes,
	}
}

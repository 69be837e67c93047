package kmshttp_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/kmstest"
)

// With a logger at level Error, as "kmsim serve -log-requests=false"
// sets up, successful and client-error requests write nothing and a
// server error still writes its request line.
func TestLoggerAtErrorLevel(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelError}))

	env := kmstest.NewEnv(t)
	h := newHandler(t, env, kmshttp.Config{Logger: logger})
	w := serve(h, kmsRequest("ListKeys", "", "{}"))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	requireError(t, serve(h, kmsRequest("DescribeKey", "", `{"KeyId":"alias/missing"}`)), 400, "NotFoundException")
	assert.Empty(t, logs.String())

	env = kmstest.NewEnv(t, kmstest.WithConfig(engine.Config{Faults: panicker{}}))
	h, err := kmshttp.New(env.Engine, kmshttp.Config{Logger: logger, OnPanic: func(any) {}})
	require.NoError(t, err)
	requireError(t, serve(h, kmsRequest("ListKeys", "", "{}")), 500, "KMSInternalException")
	assert.Contains(t, logs.String(), `"panic":"boom"`)
	assert.Equal(t, 1, strings.Count(logs.String(), `"msg":"kmshttp request"`), logs.String())
}

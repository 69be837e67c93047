package kmshttp_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/kmstest"
)

// TestPooledBodyNotRetained checks that what the engine keeps from a
// request (a description, tags, an alias name, the logged input) does
// not point into the request body's buffer, which the handler reuses for
// later requests: requests of the same length but other bytes follow
// each one, and the first request's values must survive them.
func TestPooledBodyNotRetained(t *testing.T) {
	env := kmstest.NewEnv(t)
	h := newHandler(t, env, kmshttp.Config{})

	// same builds a body like the first, with every letter of the
	// values swapped, so it has the same length and overwrites the
	// buffer byte for byte.
	same := func(body string) string {
		return strings.NewReplacer("a", "z", "b", "y", "c", "x").Replace(body)
	}
	call := func(op, body string) *http.Response {
		t.Helper()
		w := serve(h, kmsRequest(op, "", body))
		require.Equal(t, http.StatusOK, w.Code, "%s %s: %s", op, body, w.Body.String())
		return w.Result()
	}
	keyID := func(r *http.Response) string {
		var out struct{ KeyMetadata struct{ KeyId string } }
		require.NoError(t, json.NewDecoder(r.Body).Decode(&out))
		return out.KeyMetadata.KeyId
	}

	first := `{"Description":"aaaabbbbcccc","Tags":[{"TagKey":"aabbcc","TagValue":"ccbbaa"}]}`
	id := keyID(call("CreateKey", first))
	for range 4 {
		call("CreateKey", same(first))
	}
	alias := `{"AliasName":"alias/aaabbbccc","TargetKeyId":"` + id + `"}`
	call("CreateAlias", alias)
	for range 4 {
		w := serve(h, kmsRequest("CreateAlias", "", same(alias)))
		require.NotEqual(t, http.StatusInternalServerError, w.Code, w.Body.String())
	}

	w := serve(h, kmsRequest("DescribeKey", "", `{"KeyId":"alias/aaabbbccc"}`))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Contains(t, w.Body.String(), `"Description":"aaaabbbbcccc"`)
	assert.Contains(t, w.Body.String(), id)
	w = serve(h, kmsRequest("ListResourceTags", "", `{"KeyId":"`+id+`"}`))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Contains(t, w.Body.String(), `{"TagKey":"aabbcc","TagValue":"ccbbaa"}`)

	var createAlias int
	for _, ev := range env.Engine.Events() {
		b, err := json.Marshal(ev)
		require.NoError(t, err)
		if ev.Name == "CreateAlias" && strings.Contains(string(b), "alias/aaabbbccc") {
			createAlias++
		}
	}
	assert.Equal(t, 1, createAlias, "the first CreateAlias's event, unchanged")
}

package kmshttp_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/kmstest"
)

// admin calls the admin API over srv and decodes a 200 response into
// out (when not nil). It returns the response.
func admin(t *testing.T, srv *httptest.Server, method, path, body string, out any) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, bytes.NewBufferString(body))
	require.NoError(t, err)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, err = buf.ReadFrom(resp.Body)
	require.NoError(t, err)
	if resp.StatusCode == http.StatusOK {
		assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
		if out != nil {
			require.NoError(t, json.Unmarshal(buf.Bytes(), out), buf.String())
		}
	} else if out != nil {
		require.NoError(t, json.Unmarshal(buf.Bytes(), out), buf.String())
	}
	return resp
}

// A new account, user and access key set up through the admin API; a
// client with that key acts as the user.
func TestAdminCallers(t *testing.T) {
	env := kmstest.NewEnv(t)
	srv := newServer(t, env, kmshttp.Config{})

	var acct map[string]any
	resp := admin(t, srv, "POST", "/_kmsim/accounts", `{"Id":"444455556666"}`, &acct)
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, map[string]any{"Id": "444455556666", "Partition": "aws"}, acct)
	var ids []string
	admin(t, srv, "GET", "/_kmsim/accounts", "", &ids)
	assert.Equal(t, []string{"111122223333", "444455556666"}, ids)

	var pr map[string]any
	resp = admin(t, srv, "POST", "/_kmsim/principals", `{"Arn":"arn:aws:iam::444455556666:user/bob"}`, &pr)
	require.Equal(t, 200, resp.StatusCode)
	resp = admin(t, srv, "POST", "/_kmsim/principal-policies", `{"Arn":"arn:aws:iam::444455556666:user/bob","Name":"kms",`+
		`"Document":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}"}`, &pr)
	require.Equal(t, 200, resp.StatusCode, pr)
	var key map[string]any
	resp = admin(t, srv, "POST", "/_kmsim/access-keys",
		`{"Id":"AKIDBOB","Secret":"bob-secret","Account":"444455556666","Principal":"arn:aws:iam::444455556666:user/bob"}`, &key)
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, map[string]any{"Id": "AKIDBOB", "Account": "444455556666", "Principal": "arn:aws:iam::444455556666:user/bob"}, key)
	resp = admin(t, srv, "POST", "/_kmsim/access-keys", `{"Id":"AKIDROOT","Secret":"s","Account":"444455556666"}`, &key)
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "arn:aws:iam::444455556666:root", key["Principal"])

	bob := newClient(srv, "ap-southeast-2", "AKIDBOB", "bob-secret")
	out, err := bob.CreateKey(t.Context(), nil)
	require.NoError(t, err)
	assert.Regexp(t, `^arn:aws:kms:ap-southeast-2:444455556666:key/`, *out.KeyMetadata.Arn)
	evs := env.Engine.Events()
	assert.Equal(t, "arn:aws:iam::444455556666:user/bob", evs[len(evs)-1].Principal)

	// Errors of the engine, in the KMS format.
	var e kmsError
	resp = admin(t, srv, "POST", "/_kmsim/accounts", `{"Id":"444455556666"}`, &e)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "AlreadyExistsException", resp.Header.Get("X-Amzn-ErrorType"))
	assert.Equal(t, "AlreadyExistsException", e.Type)
	resp = admin(t, srv, "POST", "/_kmsim/accounts", `{"Id":"12"}`, &e)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "ValidationException", e.Type)
	resp = admin(t, srv, "POST", "/_kmsim/principals", `{"Arn":"arn:aws:iam::999999999999:user/x"}`, &e)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "NotFoundException", e.Type)
	resp = admin(t, srv, "POST", "/_kmsim/access-keys", `{"Id":"AKIDBOB","Secret":"x","Account":"444455556666"}`, &e)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "AlreadyExistsException", e.Type)
	resp = admin(t, srv, "POST", "/_kmsim/accounts", `{"Id":"555555555555","Extra":1}`, &e)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "SerializationException", e.Type)
	resp = admin(t, srv, "POST", "/_kmsim/accounts", `{"Id":"555555555555"} x`, &e)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "SerializationException", e.Type)
	resp = admin(t, srv, "GET", "/_kmsim/nothing", "", &e)
	assert.Equal(t, 404, resp.StatusCode)
	assert.Equal(t, "NotFoundException", e.Type)
	resp = admin(t, srv, "DELETE", "/_kmsim/accounts", "", &e)
	assert.Equal(t, 405, resp.StatusCode)
	assert.Equal(t, "GET, POST", resp.Header.Get("Allow"))
	assert.Equal(t, "UnsupportedOperationException", e.Type)
}

// Opt-in Regions are enabled and disabled per account.
func TestAdminRegions(t *testing.T) {
	env := kmstest.NewEnv(t)
	srv := newServer(t, env, kmshttp.Config{})
	af := testClient(srv, "af-south-1")

	_, err := af.ListKeys(t.Context(), nil)
	checkSDKError(t, err, "ListKeys", "UnrecognizedClientException")

	var st map[string]any
	resp := admin(t, srv, "POST", "/_kmsim/regions/enable", `{"Account":"111122223333","Region":"af-south-1"}`, &st)
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, map[string]any{"Account": "111122223333", "Region": "af-south-1", "Enabled": true}, st)
	_, err = af.ListKeys(t.Context(), nil)
	require.NoError(t, err)

	resp = admin(t, srv, "POST", "/_kmsim/regions/disable", `{"Account":"111122223333","Region":"af-south-1"}`, &st)
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, false, st["Enabled"])
	_, err = af.ListKeys(t.Context(), nil)
	checkSDKError(t, err, "ListKeys", "UnrecognizedClientException")

	var e kmsError
	resp = admin(t, srv, "POST", "/_kmsim/regions/enable", `{"Account":"111122223333","Region":"cn-north-1"}`, &e)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "ValidationException", e.Type)
	resp = admin(t, srv, "POST", "/_kmsim/regions/enable", `{"Account":"999999999999","Region":"af-south-1"}`, &e)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "NotFoundException", e.Type)
}

// Events, pending transitions and the clock: advancing it turns a
// Creating replica Enabled.
func TestAdminClockEventsPending(t *testing.T) {
	env := kmstest.NewEnv(t)
	srv := newServer(t, env, kmshttp.Config{})
	us, eu := testClient(srv, "us-east-1"), testClient(srv, "eu-west-1")

	var clock struct{ Now time.Time }
	admin(t, srv, "GET", "/_kmsim/clock", "", &clock)
	assert.True(t, kmstest.Start.Equal(clock.Now))

	created, err := us.CreateKey(t.Context(), &kms.CreateKeyInput{MultiRegion: aws.Bool(true)})
	require.NoError(t, err)
	id := created.KeyMetadata.KeyId
	_, err = us.ReplicateKey(t.Context(), &kms.ReplicateKeyInput{KeyId: id, ReplicaRegion: aws.String("eu-west-1")})
	require.NoError(t, err)

	var pending []engine.Transition
	admin(t, srv, "GET", "/_kmsim/pending", "", &pending)
	require.Len(t, pending, 1)
	assert.Equal(t, engine.FinishCreating, pending[0].Action)
	assert.Equal(t, "arn:aws:kms:eu-west-1:111122223333:key/"+*id, pending[0].KeyARN)
	assert.True(t, kmstest.Start.Add(5*time.Second).Equal(pending[0].Due))

	d, err := eu.DescribeKey(t.Context(), &kms.DescribeKeyInput{KeyId: id})
	require.NoError(t, err)
	assert.Equal(t, types.KeyStateCreating, d.KeyMetadata.KeyState)

	resp := admin(t, srv, "POST", "/_kmsim/clock/advance", `{"Seconds":2.5}`, &clock)
	require.Equal(t, 200, resp.StatusCode)
	assert.True(t, kmstest.Start.Add(2500*time.Millisecond).Equal(clock.Now))
	admin(t, srv, "GET", "/_kmsim/pending", "", &pending)
	assert.Len(t, pending, 1)
	admin(t, srv, "POST", "/_kmsim/clock/advance", `{"Seconds":2.5}`, &clock)
	assert.True(t, kmstest.Start.Add(5*time.Second).Equal(env.Clock.Now()))
	admin(t, srv, "GET", "/_kmsim/pending", "", &pending)
	assert.Empty(t, pending)

	d, err = eu.DescribeKey(t.Context(), &kms.DescribeKeyInput{KeyId: id})
	require.NoError(t, err)
	assert.Equal(t, types.KeyStateEnabled, d.KeyMetadata.KeyState)

	var events []map[string]any
	admin(t, srv, "GET", "/_kmsim/events", "", &events)
	var names []any
	for _, ev := range events {
		names = append(names, ev["eventName"])
	}
	assert.Equal(t, []any{"CreateKey", "ReplicateKey", "CreateKey", "DescribeKey", "DescribeKey"}, names)
	assert.Equal(t, "eu-west-1", events[2]["awsRegion"])

	var e kmsError
	for _, body := range []string{`{"Seconds":-1}`, `{"Seconds":1e300}`} {
		resp = admin(t, srv, "POST", "/_kmsim/clock/advance", body, &e)
		assert.Equal(t, 400, resp.StatusCode)
		assert.Equal(t, "ValidationException", e.Type)
	}
	resp = admin(t, srv, "POST", "/_kmsim/clock/advance", `{"Seconds":"1"}`, &e)
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "SerializationException", e.Type)
	resp = admin(t, srv, "POST", "/_kmsim/clock", "", &e)
	assert.Equal(t, 405, resp.StatusCode)
}

// Without a manual clock the clock endpoints are not there.
func TestAdminRealClock(t *testing.T) {
	env := kmstest.NewEnv(t)
	h, err := kmshttp.New(env.Engine, kmshttp.Config{OnPanic: func(v any) { t.Error(v) }})
	require.NoError(t, err)
	for _, r := range []*http.Request{
		httptest.NewRequest("GET", "/_kmsim/clock", nil),
		httptest.NewRequest("POST", "/_kmsim/clock/advance", bytes.NewBufferString(`{"Seconds":1}`)),
	} {
		msg := requireError(t, serve(h, r), 404, "UnsupportedOperationException")
		assert.Equal(t, "the server runs on the real clock", msg)
	}
	assert.True(t, kmstest.Start.Equal(env.Clock.Now()))
}

// The admin API needs no signature in strict mode.
func TestAdminStrict(t *testing.T) {
	env := kmstest.NewEnv(t)
	h := newHandler(t, env, kmshttp.Config{StrictSigV4: true})
	w := serve(h, httptest.NewRequest("POST", "/_kmsim/accounts", bytes.NewBufferString(`{"Id":"444455556666","Partition":"aws-us-gov"}`)))
	require.Equal(t, 200, w.Code, w.Body.String())
	assert.JSONEq(t, `{"Id":"444455556666","Partition":"aws-us-gov"}`, w.Body.String())
	assert.NotEmpty(t, w.Header().Get("X-Amzn-RequestId"))
}

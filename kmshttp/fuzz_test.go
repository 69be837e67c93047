package kmshttp_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/kmstest"
)

// realRequests returns the (target, authorization, body) of requests the
// real SDK client sends for a multi-Region walk-through.
func realRequests(tb testing.TB) [][3]string {
	env := kmstest.NewEnv(tb)
	h := newHandler(tb, env, kmshttp.Config{})
	var seeds [][3]string
	record := func(r *http.Request, body []byte) {
		seeds = append(seeds, [3]string{r.Header.Get("X-Amz-Target"), r.Header.Get("Authorization"), string(body)})
	}
	us, eu := inProcessClient(h, "us-east-1", record), inProcessClient(h, "eu-west-1", record)
	ctx := tb.Context()
	out, err := us.CreateKey(ctx, &kms.CreateKeyInput{
		MultiRegion: aws.Bool(true), Description: aws.String("seed"),
		Tags: []types.Tag{{TagKey: aws.String("k"), TagValue: aws.String("v")}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	id := out.KeyMetadata.KeyId
	us.ReplicateKey(ctx, &kms.ReplicateKeyInput{KeyId: id, ReplicaRegion: aws.String("eu-west-1")})
	eu.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: id})
	env.Settle()
	us.UpdatePrimaryRegion(ctx, &kms.UpdatePrimaryRegionInput{KeyId: id, PrimaryRegion: aws.String("eu-west-1")})
	us.ListKeys(ctx, &kms.ListKeysInput{Limit: aws.Int32(2)})
	us.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: id})
	us.TagResource(ctx, &kms.TagResourceInput{KeyId: id, Tags: []types.Tag{{TagKey: aws.String("a"), TagValue: aws.String("b")}}})
	us.UntagResource(ctx, &kms.UntagResourceInput{KeyId: id, TagKeys: []string{"a"}})
	us.UpdateKeyDescription(ctx, &kms.UpdateKeyDescriptionInput{KeyId: id, Description: aws.String("x")})
	us.DisableKey(ctx, &kms.DisableKeyInput{KeyId: id})
	us.EnableKey(ctx, &kms.EnableKeyInput{KeyId: id})
	us.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: id, PendingWindowInDays: aws.Int32(7)})
	us.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: id})
	us.Encrypt(ctx, &kms.EncryptInput{KeyId: id, Plaintext: []byte("hi")})
	return seeds
}

// FuzzHandler sends arbitrary target headers, Authorization headers and
// bodies through a lenient and a strict handler: neither may panic, and
// every response is a 200 with a JSON object or a KMS error whose body
// and X-Amzn-ErrorType agree.
func FuzzHandler(f *testing.F) {
	for _, s := range realRequests(f) {
		f.Add(s[0], s[1], s[2])
	}
	f.Add("TrentService.DescribeKey", "", `{"KeyId":"alias/x","keyid":1}`)
	f.Add("TrentService.CreateKey", "AWS4-HMAC-SHA256", `{"Tags":[null,{"TagKey":"a"}]}`)
	f.Add("TrentService.ListKeys", "AWS4-HMAC-SHA256 Credential=test/20260101/cn-north-1/kms/aws4_request", `{"Limit":1000}`)
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, target, auth, body string) {
		env := kmstest.NewEnv(t)
		for _, strict := range []bool{false, true} {
			h := newHandler(t, env, kmshttp.Config{StrictSigV4: strict})
			r := kmsRequest("", "", body)
			r.Header.Set("X-Amz-Target", target)
			r.Header.Set("Authorization", auth)
			r.Header.Set("X-Amz-Date", kmstest.Start.Format("20060102T150405Z"))
			checkResponse(t, serve(h, r))
		}
		env.Clock.Advance(time.Hour)
		env.Engine.Pending()
	})
}

// checkResponse checks the shape of any KMS response.
func checkResponse(t *testing.T, w interface {
	Result() *http.Response
}) {
	t.Helper()
	resp := w.Result()
	var body bytes.Buffer
	body.ReadFrom(resp.Body)
	if ct := resp.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
		t.Fatalf("Content-Type %q", ct)
	}
	if !strings.HasPrefix(resp.Header.Get("X-Amzn-RequestId"), "00000000-0000-4000-8000-") {
		t.Fatalf("request ID %q", resp.Header.Get("X-Amzn-RequestId"))
	}
	var obj map[string]any
	if err := json.Unmarshal(body.Bytes(), &obj); err != nil || obj == nil {
		t.Fatalf("status %d, body not a JSON object: %q", resp.StatusCode, body.String())
	}
	code := resp.Header.Get("X-Amzn-ErrorType")
	if resp.StatusCode == http.StatusOK {
		if code != "" {
			t.Fatalf("200 with X-Amzn-ErrorType %q", code)
		}
		return
	}
	info, ok := kmserrors.Lookup(code)
	if !ok {
		t.Fatalf("status %d, unknown X-Amzn-ErrorType %q", resp.StatusCode, code)
	}
	if info.HTTPStatus != resp.StatusCode || resp.StatusCode >= 500 {
		t.Fatalf("status %d for %s: %s", resp.StatusCode, code, body.String())
	}
	if obj["__type"] != code {
		t.Fatalf("__type %v, header %q", obj["__type"], code)
	}
	for k, v := range obj {
		switch k {
		case "__type":
		case "message":
			if s, ok := v.(string); !ok || s == "" {
				t.Fatalf("message %#v", v)
			}
		default:
			t.Fatalf("unexpected member %q in %s", k, body.String())
		}
	}
}

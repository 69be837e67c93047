package kmstest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/region"
)

// httpEndpoint is the BaseEndpoint of the HTTP harness's clients. No
// request leaves the process, so the host is never resolved.
const httpEndpoint = "http://kmsim.test"

// HTTPHarness returns a [RunConformance] harness constructor that runs
// every scenario on an Env of its own (made by [NewEnv] with opts) behind
// a [kmshttp] handler, through real *kms.Client values: static
// credentials "test"/"test", RetryMaxAttempts 1, and an HTTPClient that
// calls the handler in process through an [httptest.ResponseRecorder].
// No socket is opened, so it also runs inside a testing/synctest bubble.
// [ServerConfig] configures the handler; a handler panic fails the test.
// Settle and Advance work as the [EngineHarness]'s.
//
// It is a [PrincipalHarness] that goes through the kmshttp admin API:
// AddPrincipal posts to /_kmsim/principals and
// /_kmsim/principal-policies, and ClientAs registers an access key for
// the principal with /_kmsim/access-keys and returns a real client that
// signs with it.
func HTTPHarness(opts ...Option) func(context.Context, *testing.T) (Harness, error) {
	return func(_ context.Context, t *testing.T) (Harness, error) {
		c := newEnvConfig(opts)
		env, err := newEnv(c)
		if err != nil {
			return nil, err
		}
		h, err := newHandler(t, env, c.http)
		if err != nil {
			return nil, err
		}
		return &httpHarness{
			simHarness: simHarness{env: env},
			t:          t,
			handler:    h,
			clients:    make(map[string]API),
			keys:       make(map[string]aws.Credentials),
		}, nil
	}
}

// httpHarness runs scenarios through real SDK clients and kmshttp.
type httpHarness struct {
	simHarness
	t       *testing.T
	handler *kmshttp.Handler
	mu      sync.Mutex
	// clients holds the clients of the "test" access key by Region and
	// those of other principals by Region and principal ARN.
	clients map[string]API
	// keys holds the access keys ClientAs registered, by principal ARN.
	keys map[string]aws.Credentials
}

var (
	_ ClockHarness     = (*httpHarness)(nil)
	_ PrincipalHarness = (*httpHarness)(nil)
)

// Client implements [Harness.Client] with a *kms.Client per Region.
func (h *httpHarness) Client(r string) API {
	h.mu.Lock()
	defer h.mu.Unlock()
	c, ok := h.clients[r]
	if !ok {
		c = newSDKClient(region.ID(r), httpEndpoint, handlerClient{h.handler})
		h.clients[r] = c
	}
	return c
}

// AddPrincipal implements [PrincipalHarness] through the admin API.
func (h *httpHarness) AddPrincipal(ctx context.Context, arn, identityPolicy string) error {
	if err := h.admin(ctx, "principals", map[string]string{"Arn": arn}); err != nil {
		return err
	}
	if identityPolicy == "" {
		return nil
	}
	return h.admin(ctx, "principal-policies", map[string]string{"Arn": arn, "Name": identityPolicyName, "Document": identityPolicy})
}

// ClientAs implements [PrincipalHarness] with a real *kms.Client signing
// with an access key of principalARN, which the first call for the
// principal registers through the admin API. A principal the handler
// does not know fails the test: its client would otherwise call as the
// default account.
func (h *httpHarness) ClientAs(r, principalARN string) API {
	h.mu.Lock()
	defer h.mu.Unlock()
	name := r + " " + principalARN
	if c, ok := h.clients[name]; ok {
		return c
	}
	creds, ok := h.keys[principalARN]
	if !ok {
		id := fmt.Sprintf("AKIDKMSTEST%08d", len(h.keys)+1)
		creds = aws.Credentials{AccessKeyID: id, SecretAccessKey: "kmstest-" + id, Source: "kmstest"}
		a, _ := region.ParseARN(principalARN)
		err := h.admin(context.Background(), "access-keys", map[string]string{
			"Id": creds.AccessKeyID, "Secret": creds.SecretAccessKey, "Account": a.Account, "Principal": principalARN,
		})
		if err != nil {
			h.t.Errorf("kmstest: ClientAs %s: %v", principalARN, err)
		}
		h.keys[principalARN] = creds
	}
	c := kms.New(kms.Options{
		Region:       r,
		BaseEndpoint: aws.String(httpEndpoint),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return creds, nil
		}),
		RetryMaxAttempts: 1,
		HTTPClient:       handlerClient{h.handler},
	})
	h.clients[name] = c
	return c
}

// admin posts body as JSON to the admin endpoint /_kmsim/<path> and
// returns the KMS error of a failed call as a kmserrors value.
func (h *httpHarness) admin(ctx context.Context, path string, body any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, httpEndpoint+"/_kmsim/"+path, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := handlerClient{h.handler}.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	var e struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if json.Unmarshal(data, &e) != nil || e.Type == "" {
		return fmt.Errorf("kmstest: POST /_kmsim/%s: status %d: %s", path, resp.StatusCode, data)
	}
	return fmt.Errorf("kmstest: POST /_kmsim/%s: %w", path, kmserrors.New(e.Type, e.Message))
}

package bench

import (
	"context"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/region"
)

// NewHTTPClient returns the real *kms.Client of the endpoint at url in
// Region r, as a load generator needs it: the access key kmsim registers
// (test/test), no retries, so an error is counted once, and enough idle
// connections for concurrency callers, so none reconnects. The SDK's
// default keeps ten.
func NewHTTPClient(url string, r region.ID, concurrency int) *kms.Client {
	hc := awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		t.MaxIdleConns = max(concurrency, 100)
		t.MaxIdleConnsPerHost = max(concurrency, 10)
	}).WithTimeout(30 * time.Second)
	return kms.New(kms.Options{
		Region:           string(r),
		BaseEndpoint:     aws.String(url),
		Credentials:      testCredentials,
		RetryMaxAttempts: 1,
		HTTPClient:       hc,
	})
}

var testCredentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
	return aws.Credentials{
		AccessKeyID:     kmshttp.TestAccessKeyID,
		SecretAccessKey: kmshttp.TestSecretAccessKey,
		Source:          "kmsim bench",
	}, nil
})

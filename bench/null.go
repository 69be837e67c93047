package bench

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"

	"github.com/kmsim/kmsim/engine"
	"github.com/kmsim/kmsim/kmshttp"
	"github.com/kmsim/kmsim/kmstest"
)

// NullHandler is the ceiling a KMS client harness can reach: an HTTP
// handler that answers each operation of [Ops] with a fixed, valid
// response and does no other work. It reads each request body, as any
// server must, and ignores it.
//
// Its responses were recorded from kmsim itself when it was made, so a
// client parses the same bytes from both servers and any difference in
// cost between them is the server's.
type NullHandler struct {
	// responses maps an X-Amz-Target to the body it gets.
	responses map[string][]byte
}

// NewNullHandler records kmsim's responses to one request of each
// operation that [Ops] uses and returns a handler that replays them.
func NewNullHandler() (*NullHandler, error) {
	env := engine.New(engine.Config{
		Clock: kmstest.NewClock(kmstest.Start),
		Rand:  rand.NewChaCha8([32]byte{'n', 'u', 'l', 'l'}),
	})
	h, err := kmshttp.New(env, kmshttp.Config{})
	if err != nil {
		return nil, err
	}
	rec := recorder{h: h, out: make(map[string][]byte)}

	var mrk struct{ KeyMetadata struct{ KeyId string } }
	rec.call("CreateKey", `{"MultiRegion":true}`, &mrk)
	id := mrk.KeyMetadata.KeyId
	rec.call("ReplicateKey", `{"KeyId":"`+id+`","ReplicaRegion":"eu-west-1"}`, nil)
	rec.call("ReplicateKey", `{"KeyId":"`+id+`","ReplicaRegion":"ap-southeast-2"}`, nil)
	rec.call("DescribeKey", `{"KeyId":"`+id+`"}`, nil)

	// The CreateKey op makes single-Region keys, and so does the key that
	// encrypts; the last recording of each target is the one kept.
	var sym struct{ KeyMetadata struct{ KeyId string } }
	rec.call("CreateKey", `{}`, &sym)
	p := base64.StdEncoding.EncodeToString(Plaintext(EncryptBytes))
	var enc struct{ CiphertextBlob string }
	rec.call("Encrypt", `{"KeyId":"`+sym.KeyMetadata.KeyId+`","Plaintext":"`+p+`"}`, &enc)
	rec.call("Decrypt", `{"CiphertextBlob":"`+enc.CiphertextBlob+`"}`, nil)
	if rec.err != nil {
		return nil, rec.err
	}
	return &NullHandler{responses: rec.out}, nil
}

// recorder calls a kmshttp handler in process and keeps the responses.
type recorder struct {
	h   http.Handler
	out map[string][]byte
	err error
}

func (r *recorder) call(op, body string, into any) {
	if r.err != nil {
		return
	}
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "TrentService."+op)
	w := httptest.NewRecorder()
	r.h.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		r.err = fmt.Errorf("bench: recording %s for the null handler: %d %s", op, w.Code, w.Body)
		return
	}
	r.out["TrentService."+op] = w.Body.Bytes()
	if into != nil {
		if err := json.Unmarshal(w.Body.Bytes(), into); err != nil {
			r.err = fmt.Errorf("bench: recording %s: %w", op, err)
		}
	}
}

// ServeHTTP answers with the recorded response of the request's
// X-Amz-Target, or 400 UnknownOperationException.
func (h *NullHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	body, ok := h.responses[r.Header.Get("X-Amz-Target")]
	hdr := w.Header()
	hdr["Content-Type"] = []string{"application/x-amz-json-1.1"}
	hdr["X-Amzn-Requestid"] = []string{"00000000-0000-4000-8000-000000000000"}
	if !ok {
		hdr["X-Amzn-Errortype"] = []string{"UnknownOperationException"}
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"__type":"UnknownOperationException"}`)
		return
	}
	hdr["Content-Length"] = []string{strconv.Itoa(len(body))}
	_, _ = w.Write(body)
}

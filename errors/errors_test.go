package errors_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	kmserrors "github.com/kmsim/kmsim/errors"
	"github.com/kmsim/kmsim/errors/internal/gentable"
)

// modelPath is the AWS model in the shared/ directory beside the checkout.
var modelPath = filepath.Join("..", "..", "shared", "reference", "kms-service-2.json")

func TestNewEveryCode(t *testing.T) {
	for _, info := range kmserrors.All() {
		t.Run(info.Code, func(t *testing.T) {
			err := kmserrors.New(info.Code, "m")
			if err == nil {
				t.Fatal("New returned nil")
			}
			if got := err.ErrorCode(); got != info.Code {
				t.Errorf("ErrorCode() = %q", got)
			}
			if got := err.ErrorMessage(); got != "m" {
				t.Errorf("ErrorMessage() = %q, want %q", got, "m")
			}
			if got := err.ErrorFault(); got != info.Fault {
				t.Errorf("ErrorFault() = %q, want %q", got, info.Fault)
			}
			if got := err.HTTPStatusCode(); got != info.HTTPStatus {
				t.Errorf("HTTPStatusCode() = %d, want %d", got, info.HTTPStatus)
			}
			if got, want := err.Error(), info.Code+": m"; got != want {
				t.Errorf("Error() = %q, want %q", got, want)
			}
			if got := kmserrors.New(info.Code, "").Error(); got != info.Code {
				t.Errorf("Error() with empty message = %q, want %q", got, info.Code)
			}

			// The concrete type is a pointer to a struct named after the
			// code, with a Message field holding the message.
			typ := reflect.TypeOf(err)
			if typ.Kind() != reflect.Pointer || typ.Elem().Name() != info.Code {
				t.Fatalf("New returned %v, want *%s", typ, info.Code)
			}
			if got := reflect.ValueOf(err).Elem().FieldByName("Message").String(); got != "m" {
				t.Errorf("Message field = %q", got)
			}

			wrapped := fmt.Errorf("ctx: %w", err)
			target := reflect.New(typ) // **T
			if !errors.As(wrapped, target.Interface()) {
				t.Fatalf("errors.As(wrapped, %v) = false", target.Type())
			}
			if got := target.Elem().Interface(); got != err {
				t.Errorf("errors.As found %v, want the original %p", got, err)
			}

			var apiErr kmserrors.APIError
			if !errors.As(wrapped, &apiErr) || apiErr != err {
				t.Errorf("errors.As(wrapped, *APIError) = %v", apiErr)
			}
			if got, ok := kmserrors.As(wrapped); !ok || got != err {
				t.Errorf("kmserrors.As(wrapped) = %v, %t", got, ok)
			}

			if lk, ok := kmserrors.Lookup(info.Code); !ok || lk != info {
				t.Errorf("Lookup = %+v, %t; want %+v", lk, ok, info)
			}
		})
	}
}

func TestTable(t *testing.T) {
	all := kmserrors.All()
	if len(all) == 0 {
		t.Fatal("All() is empty")
	}
	for i, info := range all {
		if i > 0 && all[i-1].Code >= info.Code {
			t.Errorf("All() not sorted or duplicated at %d: %q then %q", i, all[i-1].Code, info.Code)
		}
		if info.Fault != kmserrors.FaultClient && info.Fault != kmserrors.FaultServer {
			t.Errorf("%s: fault %q", info.Code, info.Fault)
		}
		// Observed AWS behaviour (spec §0.2): 400 for client errors.
		if info.Fault == kmserrors.FaultClient && info.HTTPStatus != 400 {
			t.Errorf("%s: client error with HTTPStatus %d", info.Code, info.HTTPStatus)
		}
		if info.Fault == kmserrors.FaultServer && info.HTTPStatus < 500 {
			t.Errorf("%s: server error with HTTPStatus %d", info.Code, info.HTTPStatus)
		}
		if !info.InModel && info.ModelHTTPStatus != info.HTTPStatus {
			t.Errorf("%s: not in the model but ModelHTTPStatus %d != HTTPStatus %d",
				info.Code, info.ModelHTTPStatus, info.HTTPStatus)
		}
		if info.Doc == "" || !strings.HasSuffix(info.Doc, ".") {
			t.Errorf("%s: doc %q", info.Code, info.Doc)
		}
	}

	// All returns a copy.
	all[0].Code = "changed"
	if kmserrors.All()[0].Code == "changed" {
		t.Error("All() shares its backing array")
	}

	// Values the engine relies on (spec §0.2).
	for code, want := range map[string][2]int{
		"NotFoundException":          {400, 404},
		"AlreadyExistsException":     {400, 409},
		"DisabledException":          {400, 409},
		"KMSInvalidStateException":   {400, 409},
		"ConflictException":          {400, 409},
		"DryRunOperationException":   {400, 412},
		"KMSInternalException":       {500, 500},
		"KeyUnavailableException":    {500, 500},
		"DependencyTimeoutException": {503, 503},
		"ValidationException":        {400, 400},
		"ThrottlingException":        {400, 400},
	} {
		info, ok := kmserrors.Lookup(code)
		if !ok {
			t.Errorf("Lookup(%q) not found", code)
			continue
		}
		if got := [2]int{info.HTTPStatus, info.ModelHTTPStatus}; got != want {
			t.Errorf("%s: (HTTPStatus, ModelHTTPStatus) = %v, want %v", code, got, want)
		}
	}
	for _, code := range []string{
		"AccessDeniedException", "ValidationException", "ThrottlingException",
		"UnrecognizedClientException", "InvalidSignatureException",
		"IncompleteSignatureException", "MissingAuthenticationTokenException",
		"UnknownOperationException", "SerializationException",
	} {
		info, ok := kmserrors.Lookup(code)
		if !ok || info.InModel || info.Fault != kmserrors.FaultClient {
			t.Errorf("front-end error %s: Lookup = %+v, %t", code, info, ok)
		}
	}
}

func TestUnknownCode(t *testing.T) {
	for _, code := range []string{"", "NoSuchException", "notfoundexception", "com.amazonaws.kms#NotFoundException", "NotFoundException "} {
		if info, ok := kmserrors.Lookup(code); ok {
			t.Errorf("Lookup(%q) = %+v, true", code, info)
		}
		// An untyped nil interface, not a typed nil pointer.
		if err := kmserrors.New(code, "m"); err != nil {
			t.Errorf("New(%q) = %#v, want nil", code, err)
		}
	}
}

func TestAs(t *testing.T) {
	if got, ok := kmserrors.As(nil); ok || got != nil {
		t.Errorf("As(nil) = %v, %t", got, ok)
	}
	if got, ok := kmserrors.As(errors.New("plain")); ok || got != nil {
		t.Errorf("As(plain) = %v, %t", got, ok)
	}
	inner := &kmserrors.KMSInvalidStateException{Message: "pending deletion"}
	err := fmt.Errorf("outer: %w", errors.Join(errors.New("other"), fmt.Errorf("inner: %w", inner)))
	got, ok := kmserrors.As(err)
	if !ok || got != inner {
		t.Fatalf("As(joined) = %v, %t", got, ok)
	}
	var nf *kmserrors.NotFoundException
	if errors.As(err, &nf) {
		t.Error("errors.As matched *NotFoundException for a KMSInvalidStateException")
	}
}

// TestModelShapes checks the table against the AWS model when the shared
// reference files are beside the checkout.
func TestModelShapes(t *testing.T) {
	data, err := os.ReadFile(modelPath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s not present; model cross-check skipped", modelPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	var model struct {
		Shapes map[string]struct {
			Exception bool `json:"exception"`
			Fault     bool `json:"fault"`
		} `json:"shapes"`
	}
	if err := json.Unmarshal(data, &model); err != nil {
		t.Fatal(err)
	}
	inModel := make(map[string]bool)
	for name, shape := range model.Shapes {
		if !shape.Exception {
			continue
		}
		inModel[name] = true
		info, ok := kmserrors.Lookup(name)
		if !ok {
			t.Errorf("model exception %s is missing from the table", name)
			continue
		}
		want := kmserrors.FaultClient
		if shape.Fault {
			want = kmserrors.FaultServer
		}
		if !info.InModel || info.Fault != want {
			t.Errorf("%s: InModel %t, Fault %q; model says true, %q", name, info.InModel, info.Fault, want)
		}
	}
	if len(inModel) != 48 {
		t.Logf("model declares %d exception shapes (48 when the table was written)", len(inModel))
	}
	for _, info := range kmserrors.All() {
		if info.InModel && !inModel[info.Code] {
			t.Errorf("%s: InModel is true but the model does not declare it", info.Code)
		}
	}
}

// TestGenerated checks that zz_exceptions.go is what go generate would
// write from exceptions.tsv, and that the table is in canonical form.
func TestGenerated(t *testing.T) {
	table, err := os.ReadFile("exceptions.tsv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := gentable.Parse(bytes.NewReader(table))
	if err != nil {
		t.Fatal(err)
	}
	want, err := gentable.Render(rows)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("zz_exceptions.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("zz_exceptions.go is out of date; run go generate in the errors directory")
	}
	if canon := gentable.Format(rows); !bytes.Equal(table, canon) {
		t.Errorf("exceptions.tsv is not in canonical form (sorted rows, standard preamble); want:\n%s", canon)
	}

	// The generated info table matches the rows.
	all := kmserrors.All()
	if len(all) != len(rows) {
		t.Fatalf("All() has %d entries, table %d", len(all), len(rows))
	}
	for i, r := range gentable.Sorted(rows) {
		want := kmserrors.Info{
			Code: r.Code, Fault: kmserrors.Fault(r.Fault), HTTPStatus: r.HTTPStatus,
			ModelHTTPStatus: r.ModelHTTPStatus, InModel: r.InModel, Doc: r.Doc,
		}
		if all[i] != want {
			t.Errorf("All()[%d] = %+v, table row %+v", i, all[i], want)
		}
	}
}

package gentable

import (
	"bytes"
	"strings"
	"testing"
)

const header = "code\tfault\thttp_status\tmodel_http_status\tin_model\tdoc\n"

func TestParseErrors(t *testing.T) {
	for name, body := range map[string]string{
		"no header":     "",
		"bad header":    "code\tfault\n",
		"short row":     header + "FooException\tclient\t400\n",
		"bad fault":     header + "FooException\tcaller\t400\t400\ttrue\tFoo.\n",
		"bad status":    header + "FooException\tclient\t200\t400\ttrue\tFoo.\n",
		"bad bool":      header + "FooException\tclient\t400\t400\tyes\tFoo.\n",
		"no period":     header + "FooException\tclient\t400\t400\ttrue\tFoo\n",
		"lower code":    header + "fooException\tclient\t400\t400\ttrue\tFoo.\n",
		"code with dot": header + "kms#FooException\tclient\t400\t400\ttrue\tFoo.\n",
		"duplicate": header + "FooException\tclient\t400\t400\ttrue\tFoo.\n" +
			"FooException\tclient\t400\t400\ttrue\tFoo.\n",
	} {
		if _, err := Parse(strings.NewReader(body)); err == nil {
			t.Errorf("%s: Parse succeeded", name)
		}
	}
}

func TestFormatRoundTrip(t *testing.T) {
	rows := []Row{
		{Code: "ZedException", Fault: "server", HTTPStatus: 500, ModelHTTPStatus: 500, InModel: true, Doc: "Zed."},
		{Code: "AlphaException", Fault: "client", HTTPStatus: 400, ModelHTTPStatus: 404, InModel: false, Doc: "KMS says alpha."},
	}
	got, err := Parse(bytes.NewReader(Format(rows)))
	if err != nil {
		t.Fatal(err)
	}
	want := Sorted(rows)
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("round trip = %+v, want %+v", got, want)
	}
	src, err := Render(rows)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"// AlphaException mirrors the error of the same name",
		"KMS says alpha.",
		"// ZedException mirrors the KMS exception of the same name: zed.",
		"func (e *ZedException) ErrorFault() Fault { return FaultServer }",
	} {
		if !bytes.Contains(src, []byte(s)) {
			t.Errorf("rendered source lacks %q", s)
		}
	}
	if _, err := Render(append(rows, rows[0])); err == nil {
		t.Error("Render accepted a duplicate code")
	}
}

func TestMergeModel(t *testing.T) {
	model := []byte(`{"shapes":{
		"AException":{"type":"structure","exception":true,"documentation":"<p>The <code>A</code> thing failed. More text.</p>"},
		"BException":{"type":"structure","exception":true,"fault":true},
		"NotAnError":{"type":"structure"}}}`)
	shapes, err := ModelExceptions(model)
	if err != nil {
		t.Fatal(err)
	}
	rows := []Row{
		{Code: "BException", Fault: "client", HTTPStatus: 400, ModelHTTPStatus: 400, InModel: false, Doc: "B."},
		{Code: "GoneException", Fault: "client", HTTPStatus: 400, ModelHTTPStatus: 400, InModel: true, Doc: "Gone."},
	}
	got, notes := MergeModel(rows, shapes)
	want := []Row{
		{Code: "AException", Fault: "client", HTTPStatus: 400, ModelHTTPStatus: 400, InModel: true, Doc: "The A thing failed."},
		{Code: "BException", Fault: "server", HTTPStatus: 400, ModelHTTPStatus: 400, InModel: true, Doc: "B."},
		{Code: "GoneException", Fault: "client", HTTPStatus: 400, ModelHTTPStatus: 400, InModel: false, Doc: "Gone."},
	}
	if len(got) != len(want) {
		t.Fatalf("MergeModel = %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if len(notes) != 4 {
		t.Errorf("notes = %q, want 4", notes)
	}
}

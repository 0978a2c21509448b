package atlas_test

// FuzzAtlasAnswers's organization bodies: the organization itself
// (getOrganization) and the rows of the organizations pages
// (listOrganizations), which listPage writes as it writes users pages.

import (
	"bytes"
	"strconv"
)

// writeOrgRow writes organization i of an organizations page. The
// shapes are the users rows' (fzShape*).
func writeOrgRow(b *bytes.Buffer, id string, shape, i int) {
	n := strconv.Itoa(i)
	switch shape {
	case fzShapeFull:
		b.WriteString(`{"id":` + id + `,"name":"Org-` + n + `","isDeleted":false}`)
	case fzShapeMinimal:
		b.WriteString(`{"id":` + id + `,"name":"O` + n + `"}`)
	case fzShapeNulls:
		b.WriteString(`{"id":` + id + `,"name":null,"isDeleted":null,"links":null}`)
	case fzShapeNoID:
		b.WriteString(`{"name":"Org-` + n + `","isDeleted":true}`)
	case fzShapeExtra:
		b.WriteString(`{"id":` + id + `,"name":"ü例え-` + n + `","isDeleted":true,"skipDefaultAlertsSettings":true,` +
			`"unknown":{"nested":[1,2,3]},"links":[{"rel":"self"},{}]}`)
	case fzShapeWrongType:
		b.WriteString(`{"id":` + id + `,"name":"O` + n + `","isDeleted":"no"}`)
	default:
		b.WriteString(`{"id":` + id + `,"name":` + n + `}`)
	}
}

// orgBody is the organization the read asks for. p2 bits 0-2: its shape.
func orgBody(a *fzAnswer) []byte {
	const self = `"links":[{"href":"https://cloud.mongodb.com` + fzOrgPath + `","rel":"self"}]`
	id := `"id":"` + testOrgID + `"`
	switch a.p2 & 7 {
	case 0, 1:
		return []byte(`{` + id + `,"isDeleted":false,` + self + `,"name":"Test-Org"}`)
	case 2:
		return []byte(`{` + id + `,"isDeleted":true,` + self + `}`) // no name
	case 3:
		return []byte(`{"id":null,"isDeleted":null,"links":null,"name":null}`)
	case 4:
		return []byte(`{` + id + `,"name":["Test-Org"]}`)
	case 5:
		return []byte(`{` + id + `,"name":` + fzJSONString(a.chunk) + `,"links":{}}`)
	case 6:
		return []byte(`{"id":"` + fzHex24(7) + `","name":"Another-Org","isDeleted":false}`) // another organization
	default:
		return []byte(`{` + id + `,"name":"ü例え & Co. (prod)","unknown":{"a":[1,{}]},"links":[{"rel":"self"},{}]}`)
	}
}

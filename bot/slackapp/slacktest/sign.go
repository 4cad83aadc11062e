package slacktest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"
)

// Headers Slack signs HTTP requests with.
const (
	HeaderTimestamp = "X-Slack-Request-Timestamp"
	HeaderSignature = "X-Slack-Signature"
)

// Sign computes Slack's v0 request signature of body sent at ts with the
// app's signing secret: the X-Slack-Request-Timestamp value (Unix seconds)
// and the X-Slack-Signature value, "v0=" + hex(HMAC-SHA256(secret,
// "v0:"+timestamp+":"+body)). slack-go's verifier rejects timestamps more
// than five minutes from its clock, so sign with the current time.
func Sign(secret string, ts time.Time, body []byte) (timestampHeader, signatureHeader string) {
	timestampHeader = strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + timestampHeader + ":"))
	mac.Write(body)
	return timestampHeader, "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// SignRequest sets req's Slack signature headers for body (which should
// be req's body) sent at ts.
func SignRequest(req *http.Request, secret string, ts time.Time, body []byte) {
	t, sig := Sign(secret, ts, body)
	req.Header.Set(HeaderTimestamp, t)
	req.Header.Set(HeaderSignature, sig)
}

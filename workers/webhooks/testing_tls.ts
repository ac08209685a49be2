/**
 * A TLS receiver's certificate for the send tests: a test CA and a leaf for
 * `hook.invalid` (RFC 6761: no resolver answers it, so only a pinned address
 * reaches it), valid until 2126. Made with openssl (EC P-256):
 *   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500 \
 *     -subj "/CN=pay webhooks test CA" -addext basicConstraints=critical,CA:TRUE \
 *     -addext keyUsage=critical,keyCertSign -keyout ca.key -out ca.pem
 *   openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=hook.invalid \
 *     -keyout key.pem -out leaf.csr
 *   openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -days 36500 -out cert.pem -extfile ext.cnf
 * with ext.cnf: subjectAltName=DNS:hook.invalid, basicConstraints=critical,CA:FALSE,
 * extendedKeyUsage=serverAuth, keyUsage=critical,digitalSignature. Test material only.
 */

/** The name the leaf certificate is for. */
export const testTlsName = "hook.invalid";

export const testCaPem = `-----BEGIN CERTIFICATE-----
MIIBpTCCAUugAwIBAgIUMwPBBXdnhEOGif7atUVcxBVGbX0wCgYIKoZIzj0EAwIw
HzEdMBsGA1UEAwwUcGF5IHdlYmhvb2tzIHRlc3QgQ0EwIBcNMjYxMTI5MDUyODE2
WhgPMjEyNjExMDUwNTI4MTZaMB8xHTAbBgNVBAMMFHBheSB3ZWJob29rcyB0ZXN0
IENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEFDt4p5vtBVJs4kwyMi0RCPh5
QHWPIzhP79R1EurxQUPQ/LGDXCg7E0rkdUS9rMH8cKxJMVBmcadelZUjkl+nNqNj
MGEwHQYDVR0OBBYEFLiuURoMEfalcmYUHoEzvWVypbznMB8GA1UdIwQYMBaAFLiu
URoMEfalcmYUHoEzvWVypbznMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQD
AgIEMAoGCCqGSM49BAMCA0gAMEUCIGPiX9FSKwFCkwEmzYoLRl8kIg9niuJEMpov
a5IsRuLRAiEAr2qq+x5nJp8IG8EHmGCKeQUuI7ziOTQ4t3hUH18W/eY=
-----END CERTIFICATE-----`;

export const testCertPem = `-----BEGIN CERTIFICATE-----
MIIByzCCAXCgAwIBAgIUXSVCggQ2A98xf8YjzuCYHaWRPt0wCgYIKoZIzj0EAwIw
HzEdMBsGA1UEAwwUcGF5IHdlYmhvb2tzIHRlc3QgQ0EwIBcNMjYxMTI5MDUyODE2
WhgPMjEyNjExMDUwNTI4MTZaMBcxFTATBgNVBAMMDGhvb2suaW52YWxpZDBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABGtpL3ACbLSt0ne+u0cfFu/4LY3/2FVf/uxj
J80u5jWqTk4xZYVMs3FnRbjBOsRcwYcVCClLrJd3r53LLjC3weGjgY8wgYwwFwYD
VR0RBBAwDoIMaG9vay5pbnZhbGlkMAwGA1UdEwEB/wQCMAAwEwYDVR0lBAwwCgYI
KwYBBQUHAwEwDgYDVR0PAQH/BAQDAgeAMB0GA1UdDgQWBBRZyIWwSN3wRdlct19n
lZRBXPZHyDAfBgNVHSMEGDAWgBS4rlEaDBH2pXJmFB6BM71lcqW85zAKBggqhkjO
PQQDAgNJADBGAiEAkO8+skADq18qQKAFXxE4HpNPXMfbiGJe9M+R0WGO/ZsCIQCA
sOL4t2MJsRJHYh1n9KCgMzg2Ws9wP5VgRM+KfPdaUw==
-----END CERTIFICATE-----`;

export const testKeyPem = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgb+Zb8+4EGAwEM5sb
8X8YgEZVbSDLFFshvkSC2h6lZ7WhRANCAARraS9wAmy0rdJ3vrtHHxbv+C2N/9hV
X/7sYyfNLuY1qk5OMWWFTLNxZ0W4wTrEXMGHFQgpS6yXd6+dyy4wt8Hh
-----END PRIVATE KEY-----`;

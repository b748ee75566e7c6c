#!/usr/bin/env bash
# Regenerates the X.509 parser fixtures in this directory with the openssl CLI (3.0+).
# Fixed serials, names and dates make the certificates' fields predictable, so the tests in
# tests/unit/x509_parse_*.cpp can check every one; keys and signatures change on each run.
#   root-rsa.pem     RSA 2048 self-signed root, sha256WithRSAEncryption
#   leaf-p256.pem    P-256 leaf from the root: SANs of every kind, EKU, KU, AKI/SKI, policies,
#                    AIA, CRL distribution point; notAfter in 2050 (GeneralizedTime)
#   ca-p384.pem      P-384 intermediate from the root (sha384WithRSA): name constraints, pathlen 0
#   leaf-p384.pem    P-384 leaf from the intermediate, ecdsa-with-SHA384
#   leaf-pss.pem     RSA 2048 leaf from the root, RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32)
#   ed25519.pem      Ed25519 self-signed CA
#   v1.pem           v1 certificate (no extensions) from the root
#   crl-root.pem     v2 CRL from the root: two revoked entries, cRLNumber 4, AKI
#   *.key            keys: PKCS#8, SEC1 (leaf-p256-sec1.key), PKCS#1 (root-rsa-pkcs1.key),
#                    encrypted PKCS#8 (leaf-p256-encrypted.key, password "test")
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/ca.cnf" <<CNF
[ca]
default_ca = test_ca
[test_ca]
dir = $work
database = $work/index.txt
new_certs_dir = $work/new
serial = $work/serial
crlnumber = $work/crlnumber
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[any]
C = optional
O = optional
OU = optional
CN = optional
[req]
distinguished_name = req_dn
prompt = no
[req_dn]
CN = placeholder
[root_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf_p256_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = @san
certificatePolicies = 2.23.140.1.2.1
authorityInfoAccess = OCSP;URI:http://ocsp.example.org/, caIssuers;URI:http://ca.example.org/root.der
crlDistributionPoints = URI:http://crl.example.org/root.crl
[san]
DNS.1 = www.example.org
DNS.2 = example.org
IP.1 = 192.0.2.1
IP.2 = 2001:db8::1
email.1 = admin@example.org
URI.1 = https://www.example.org/
dirName.1 = san_dir
otherName.1 = 1.3.6.1.4.1.311.20.2.3;UTF8:user@example.org
RID.1 = 1.2.3.4
[san_dir]
C = US
O = Tern Test
CN = Directory Name
[ca_p384_ext]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
nameConstraints = critical, @nc
[nc]
permitted;DNS.1 = example.org
permitted;IP.1 = 192.0.2.0/255.255.255.0
permitted;email.1 = example.org
permitted;dirName.1 = nc_dir
excluded;DNS.1 = bad.example.org
excluded;IP.1 = 2001:db8:bad::/ffff:ffff:ffff:0:0:0:0:0
[nc_dir]
C = US
O = Tern Test
[leaf_p384_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:api.example.org
[leaf_pss_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:pss.example.org
[ed25519_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
[crl_ext]
authorityKeyIdentifier = keyid
CNF
mkdir "$work/new"
: > "$work/index.txt"

# issue NAME SUBJECT SERIAL START END EXT SIGNER_CERT SIGNER_KEY [extra openssl ca args...]
issue() {
  local name=$1 subject=$2 serial=$3 start=$4 end=$5 ext=$6 cacert=$7 cakey=$8
  shift 8
  openssl req -new -config "$work/ca.cnf" -key "$name.key" -subj "$subject" -out "$work/$name.csr"
  echo "$serial" > "$work/serial"
  local signer=(-cert "$cacert" -keyfile "$cakey")
  [ "$cacert" = self ] && signer=(-selfsign -keyfile "$cakey")
  local extargs=(-extensions "$ext")
  [ "$ext" = none ] && extargs=()
  openssl ca -batch -notext -preserveDN -config "$work/ca.cnf" "${signer[@]}" "${extargs[@]}" \
    -startdate "$start" -enddate "$end" -in "$work/$name.csr" -out "$name.pem" "$@" 2>/dev/null
}

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out root-rsa.key 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out leaf-p256.key
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out ca-p384.key
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out leaf-p384.key
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out leaf-pss.key 2>/dev/null
openssl genpkey -algorithm ED25519 -out ed25519.key
cp leaf-p256.key v1.key

issue root-rsa "/C=US/O=Tern Test/CN=Tern Test Root RSA" 01 240101000000Z 491231235959Z \
  root_ext self root-rsa.key
issue leaf-p256 "/C=US/O=Tern Test/OU=Web/CN=www.example.org" 1001 250101120000Z \
  20500101000000Z leaf_p256_ext root-rsa.pem root-rsa.key
issue ca-p384 "/C=US/O=Tern Test/CN=Tern Test Intermediate P-384" 2002 240601000000Z \
  340601000000Z ca_p384_ext root-rsa.pem root-rsa.key -md sha384
issue leaf-p384 "/CN=api.example.org" 03 250301000000Z 260301000000Z leaf_p384_ext \
  ca-p384.pem ca-p384.key -md sha384
issue leaf-pss "/O=Tern Test/CN=pss.example.org" 0400 250101000000Z 260101000000Z \
  leaf_pss_ext root-rsa.pem root-rsa.key -md sha256 -sigopt rsa_padding_mode:pss \
  -sigopt rsa_pss_saltlen:32 -sigopt rsa_mgf1_md:sha256
issue ed25519 "/CN=Tern Test Ed25519" 05 250101000000Z 350101000000Z ed25519_ext self \
  ed25519.key
issue v1 "/CN=v1.example.org" 06 250101000000Z 260101000000Z none root-rsa.pem root-rsa.key

# The CRL: a hand-written database fixes the revocation dates and reasons.
printf 'R\t20500101000000Z\t250115000000Z,keyCompromise\t1001\tunknown\t/CN=www.example.org\n' \
  > "$work/index.txt"
printf 'R\t260301000000Z\t250201103000Z\t0400\tunknown\t/CN=pss.example.org\n' >> "$work/index.txt"
printf 'V\t260101000000Z\t\t06\tunknown\t/CN=v1.example.org\n' >> "$work/index.txt"
echo 04 > "$work/crlnumber"
openssl ca -batch -gencrl -config "$work/ca.cnf" -cert root-rsa.pem -keyfile root-rsa.key \
  -crlexts crl_ext -crl_lastupdate 250601000000Z -crl_nextupdate 250701000000Z \
  -out crl-root.pem 2>/dev/null

# The same P-256 key as SEC1, the root key as PKCS#1, and an encrypted PKCS#8 key.
openssl pkey -in leaf-p256.key -traditional -out leaf-p256-sec1.key 2>/dev/null ||
  openssl ec -in leaf-p256.key -out leaf-p256-sec1.key 2>/dev/null
openssl rsa -in root-rsa.key -traditional -out root-rsa-pkcs1.key 2>/dev/null
openssl pkcs8 -topk8 -in leaf-p256.key -v2 aes-256-cbc -passout pass:test \
  -out leaf-p256-encrypted.key
openssl x509 -in leaf-p256.pem -outform DER -out leaf-p256.der
rm -f v1.key
echo "fixtures written to $(pwd)"

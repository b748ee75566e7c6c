#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Makes a throw-away test PKI with the openssl command-line tool, for the CLI tests and the
# demo. Usage: scripts/make-test-pki.sh DIR
#
# DIR receives (PEM; keys are unencrypted EC P-256). Server leaves follow the web profile
# `tern verify` and TLS apply: EKU serverAuth, and a CN that is one of the SAN entries (what
# tells them apart goes in OU):
#   root.pem, root.key            self-signed root CA "tern Test Root"
#   intermediate.pem, .key        intermediate CA (pathlen 0) signed by the root
#   chain.pem                     intermediate.pem (what a server sends after its leaf)
#   leaf.pem, leaf.key            server certificate for localhost and 127.0.0.1
#   wrong-name.pem                server certificate for www.example.org only
#   expired.pem                   server certificate valid only during 2020
#   revoked.pem                   server certificate for localhost, revoked in crl.pem
#   future.pem                    server certificate valid only during 2099
#   leaf-{p384,rsa,ed25519}.pem   localhost leaves with P-384, RSA-2048 and Ed25519 keys
#   crl.pem                       CRLs of the intermediate (revokes revoked.pem) and the root
#   other-root.pem, other-leaf.pem  a second, unrelated root and a leaf it issued
#   client.pem, client.key        client certificate (clientAuth) "tern test client"
#   client-rsa.pem, .key          the same with an RSA-2048 key
#   client-chain.pem              client.pem + intermediate.pem (what a client sends)
#   other-client.pem, .key        client certificate issued by other-root
set -euo pipefail

dir=${1:?usage: make-test-pki.sh DIR}
mkdir -p "$dir"
cd "$dir"

newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

cat > openssl.cnf <<'CNF'
[ca]
default_ca = test_ca

[test_ca]
dir = .
database = $dir/db/index-$ENV::CA_NAME.txt
serial = $dir/db/serial-$ENV::CA_NAME
crlnumber = $dir/db/crlnumber-$ENV::CA_NAME
new_certs_dir = $dir/db
default_md = sha256
default_days = 3650
default_crl_days = 30
policy = policy_anything
unique_subject = no
copy_extensions = none
email_in_dn = no

[policy_anything]
commonName = supplied
organizationName = optional
organizationalUnitName = optional

[req]
distinguished_name = req_dn
prompt = no
[req_dn]
CN = unused

[root_ext]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[intermediate_ext]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[server_ext]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $ENV::SAN

[client_ext]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $ENV::SAN
CNF

mkdir -p db
export SAN="DNS:unused" CA_NAME=root
for ca in root intermediate other-root; do
  : > "db/index-$ca.txt"
  echo 1000 > "db/serial-$ca"
  echo 01 > "db/crlnumber-$ca"
done

# A self-signed root: name, key file, certificate file.
make_root() {
  newkey "$2"
  openssl req -config openssl.cnf -new -x509 -key "$2" -subj "$1" -days 7300 -sha256 \
    -extensions root_ext -set_serial 1 -out "$3"
}

# Signs a CSR for SUBJECT with the CA CA_NAME: subject, key, out, extensions, extra ca args.
issue() {
  local subject=$1 key=$2 out=$3 ext=$4
  shift 4
  [[ -f $key ]] || newkey "$key"
  openssl req -config openssl.cnf -new -key "$key" -subj "$subject" -out "$out.csr"
  openssl ca -config openssl.cnf -batch -notext -cert "$CA_NAME.pem" -keyfile "$CA_NAME.key" \
    -extensions "$ext" -in "$out.csr" -out "$out" "$@" 2>/dev/null
  rm -f "$out.csr"
}

make_root "/CN=tern Test Root/O=tern" root.key root.pem

CA_NAME=root issue "/CN=tern Test Intermediate/O=tern" intermediate.key intermediate.pem \
  intermediate_ext
cp intermediate.pem chain.pem

export CA_NAME=intermediate
SAN="DNS:localhost, IP:127.0.0.1" issue "/CN=localhost" leaf.key leaf.pem server_ext
SAN="DNS:www.example.org" issue "/CN=www.example.org" wrong-name.key wrong-name.pem server_ext
SAN="DNS:localhost" issue "/CN=localhost/OU=expired" expired.key expired.pem server_ext \
  -startdate 20200101000000Z -enddate 20201231235959Z
SAN="DNS:localhost" issue "/CN=localhost/OU=revoked" revoked.key revoked.pem server_ext
SAN="DNS:localhost" issue "/CN=localhost/OU=not yet valid" future.key future.pem server_ext \
  -startdate 20990101000000Z -enddate 20991231235959Z
# The same name with the other key types a TLS 1.3 server may have.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out leaf-p384.key 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out leaf-rsa.key 2>/dev/null
openssl genpkey -algorithm ED25519 -out leaf-ed25519.key 2>/dev/null
for type in p384 rsa ed25519; do
  SAN="DNS:localhost, IP:127.0.0.1" issue "/CN=localhost/OU=$type" "leaf-$type.key" \
    "leaf-$type.pem" server_ext
done

# Revoke one leaf; one CRL per CA, so revocation can be checked at every level.
openssl ca -config openssl.cnf -cert intermediate.pem -keyfile intermediate.key \
  -revoke revoked.pem -crl_reason keyCompromise 2>/dev/null
openssl ca -config openssl.cnf -cert intermediate.pem -keyfile intermediate.key -gencrl \
  -out crl-intermediate.pem 2>/dev/null
CA_NAME=root openssl ca -config openssl.cnf -cert root.pem -keyfile root.key -gencrl \
  -out crl-root.pem 2>/dev/null
cat crl-intermediate.pem crl-root.pem > crl.pem

make_root "/CN=Some Other Root/O=elsewhere" other-root.key other-root.pem
CA_NAME=other-root SAN="DNS:localhost" issue "/CN=localhost" other-leaf.key other-leaf.pem \
  server_ext

# Client certificates for mutual TLS.
SAN="email:client@example.test" issue "/CN=tern test client" client.key client.pem client_ext
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out client-rsa.key 2>/dev/null
SAN="email:client@example.test" issue "/CN=tern test client (rsa)" client-rsa.key \
  client-rsa.pem client_ext
cat client.pem intermediate.pem > client-chain.pem
CA_NAME=other-root SAN="email:other@example.test" issue "/CN=other client" other-client.key \
  other-client.pem client_ext

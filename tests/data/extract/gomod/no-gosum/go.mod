module example.invalid/x

go 1.20

require github.com/dgrijalva/jwt-go v3.2.0+incompatible

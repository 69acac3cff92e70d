// Hand-written to the go.mod reference (https://go.dev/ref/mod#go-mod-file).
module example.invalid/service

go 1.21

toolchain go1.21.5

require (
	github.com/gin-gonic/gin v1.6.0
	golang.org/x/net v0.7.0 // indirect
	golang.org/x/text v0.3.7 // indirect
	example.invalid/internal/lib v0.0.0-20230101000000-0123456789ab
	github.com/old/module v1.0.0
)

require gopkg.in/yaml.v2 v2.2.2

exclude golang.org/x/net v0.1.0

replace example.invalid/internal/lib => ../lib

replace github.com/old/module v1.0.0 => github.com/new/module v1.2.3

// several for one module: the last one that matches its version applies
replace github.com/gin-gonic/gin => github.com/fork/gin v1.9.0
replace github.com/gin-gonic/gin v1.6.0 => github.com/fork/gin v1.9.1
replace github.com/gin-gonic/gin v1.5.0 => github.com/fork/gin v1.5.1

retract v1.0.1

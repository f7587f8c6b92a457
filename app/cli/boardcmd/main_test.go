package boardcmd_test

import (
	"testing"

	"cunjing/app/cli/clitest"
)

func TestMain(m *testing.M) { clitest.Main(m) }

package bot_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/askdesk/askdesk/bot"
	"github.com/askdesk/askdesk/store"
)

// TestMain doubles as the crash helper: with ASKDESK_CRASH_DB set, the test
// binary files requests forever, printing each ID once File has returned,
// which is the moment a user would be told the ID.
func TestMain(m *testing.M) {
	if path := os.Getenv("ASKDESK_CRASH_DB"); path != "" {
		crashHelper(path)
		return
	}
	os.Exit(m.Run())
}

func crashHelper(path string) {
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	desk := bot.New(testDir(&testing.T{}), db, bot.Discard{}, bot.SystemClock{}, nil)
	out := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		r, err := desk.File(ctx, bot.Filing{Requester: sam, Dept: "finance", Text: fmt.Sprint("crash test ", i)})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(4)
		}
		fmt.Fprintln(out, r.ID)
		out.Flush()
	}
}

// TestKill9LosesNoAcknowledgedRequest kills a process that is filing
// requests, three times, and checks that every ID it reported is stored with
// its history.
func TestKill9LosesNoAcknowledgedRequest(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	var acked []string
	for round := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "ASKDESK_CRASH_DB="+path)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stdout)
		for n := 0; n < 40 && sc.Scan(); n++ {
			acked = append(acked, sc.Text())
		}
		// Kill mid-stream: the helper is inside File, or between two.
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		for sc.Scan() { // lines printed before the kill landed were acknowledged too
			acked = append(acked, sc.Text())
		}
		cmd.Wait()
		if len(acked) < 40*(round+1) {
			t.Fatalf("round %d: helper acknowledged only %d requests; stderr: %s", round, len(acked), stderr.String())
		}
	}
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, id := range acked {
		r, err := db.Request(context.Background(), id)
		if err != nil {
			t.Fatalf("acknowledged %s is lost: %v", id, err)
		}
		if evs, err := db.Events(context.Background(), id); err != nil || len(evs) != r.Version {
			t.Fatalf("%s history: %d events, version %d, %v", id, len(evs), r.Version, err)
		}
	}
	t.Logf("%d acknowledged requests survived 3 kill -9s", len(acked))
}

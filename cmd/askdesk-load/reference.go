package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/slack-go/slack"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// The reference handler is the least a Slack app can do per request and
// still be honest: check the signature, write one row durably, reply. The
// load runs against it on the same machine, so askdesk's numbers read as a
// ratio to it rather than as a machine-dependent figure.

// runReference serves the reference handler until SIGTERM or SIGINT.
func runReference(args []string) error {
	fs := flag.NewFlagSet("reference", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on")
	dbPath := fs.String("db", "", "SQLite file to insert into (created)")
	secret := fs.String("secret", "", "Slack signing secret")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dbPath == "" || *secret == "" {
		return errors.New("reference needs --db and --secret")
	}
	db, err := openReferenceDB(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ins, err := db.Prepare(`INSERT INTO hits (path, user_id, body, at) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("reference: %w", err)
	}
	defer ins.Close()

	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	mux := http.NewServeMux()
	h := referenceHandler(*secret, ins, log)
	mux.Handle("POST /slack/commands", h)
	mux.Handle("POST /slack/interactions", h)
	mux.Handle("POST /slack/events", h)
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("reference: %w", err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	log.Info("askdesk serving", "addr", ln.Addr().String(), "mode", "reference")
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("reference: %w", err)
	}
	return nil
}

// openReferenceDB opens path with askdesk's durability settings (WAL,
// synchronous NORMAL, a busy timeout) on a single writer connection.
func openReferenceDB(path string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(2000)")
	q.Add("_pragma", "journal_mode(wal)")
	q.Add("_pragma", "synchronous(normal)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("reference db: %w", err)
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS hits (
		id INTEGER PRIMARY KEY, path TEXT NOT NULL, user_id TEXT NOT NULL, body TEXT NOT NULL, at INTEGER NOT NULL) STRICT`); err != nil {
		db.Close()
		return nil, fmt.Errorf("reference db: %w", err)
	}
	return db, nil
}

func referenceHandler(secret string, ins *sql.Stmt, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		sv, err := slack.NewSecretsVerifier(r.Header, secret)
		if err == nil {
			_, _ = sv.Write(body)
			err = sv.Ensure()
		}
		if err != nil {
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		user := ""
		if r.URL.Path != "/slack/events" { // events are JSON; the rest forms
			form, err := url.ParseQuery(string(body))
			if err != nil {
				http.Error(w, "bad form", http.StatusBadRequest)
				return
			}
			user = form.Get("user_id")
		}
		res, err := ins.ExecContext(r.Context(), r.URL.Path, user, string(body), time.Now().UnixMilli())
		if err != nil {
			log.Error("insert", "err", err)
			http.Error(w, "store unavailable", http.StatusServiceUnavailable)
			return
		}
		id, _ := res.LastInsertId()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"response_type":"ephemeral","text":"Filed REF-%s"}`, strconv.FormatInt(id, 10))
	})
}

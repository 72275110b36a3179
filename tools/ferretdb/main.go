// Command ferretdb runs FerretDB v1 with its SQLite backend as an embedded library.
// The stock `go install` binary panics at start (missing generated version.txt), so the
// project builds this small wrapper instead.
//
// It also adds one index per collection that FerretDB v1.24 misses. FerretDB reads a document by
// `_id` with `WHERE _ferretdb_sjson->'$._id' = ?`, but builds the collection's `_id` index on
// `_ferretdb_sjson->"_id"`; SQLite only uses an index on an identical expression, so every read,
// update and delete by `_id` scanned its whole table (`npm run bench` saw 1,000 post setups take
// 12 s, the next 1,000 30 s, the next 42 s; EXPLAIN QUERY PLAN shows SCAN). The wrapper creates
// the index the query can use, for every collection table, at start and as new ones appear.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	_ "modernc.org/sqlite"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	dir := flag.String("data-dir", "./data/ferretdb", "directory for the SQLite databases (created if missing)")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: bad --log-level %q: %v\n", *logLevel, err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	abs, err := filepath.Abs(*dir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: bad --data-dir %q: %v\n", *dir, err)
		os.Exit(2)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: cannot create data dir %s: %v\n", abs, err)
		os.Exit(1)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	go indexIDs(ctx, abs, logger)

	fmt.Fprintf(os.Stderr, "ferretdb: listening on %s, data in %s\n", *listen, abs)
	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		os.Exit(1)
	}
}

// indexIDs adds the `_id` lookup index (see the top of this file) to every collection table of
// every database in dir, now and every two seconds for collections created since.
func indexIDs(ctx context.Context, dir string, logger *slog.Logger) {
	done := map[string]bool{}
	for {
		files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		for _, f := range files {
			if err := indexFile(ctx, f, done); err != nil && ctx.Err() == nil {
				logger.Warn("could not add _id lookup indexes", "file", f, "error", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(2 * time.Second):
		}
	}
}

func indexFile(ctx context.Context, file string, done map[string]bool) error {
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	// FerretDB lists its collections' tables here; a database file without it is not FerretDB's yet.
	rows, err := db.QueryContext(ctx, `SELECT table_name FROM "_ferretdb_collections"`)
	if err != nil {
		return nil
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		if !done[file+"\x00"+t] {
			tables = append(tables, t)
		}
	}
	rows.Close()
	for _, t := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, t+"__id_lookup", t)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
		done[file+"\x00"+t] = true
	}
	return nil
}

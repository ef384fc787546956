// The tests use the same throwaway PostgreSQL server as the benchmark and the chaos run.
export { INSTALL_POSTGRES, postgresAvailable, postgresBinDir, startPostgres, type LocalPostgres } from "../../examples/store/local-postgres";

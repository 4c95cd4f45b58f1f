export type Json =
  | string
  | number
  | boolean
  | null
  | { [key: string]: Json | undefined }
  | Json[]

export type Database = {
  public: {
    Tables: {
      accounts: {
        Row: {
          account_number: string
          credit_limit: number | null
          email: string | null
          id: string
          name: string
          notes: string | null
          owner_id: string
          parent_account_id: string | null
          phone: string | null
          preferences: Json | null
          primary_location_id: string | null
          status: string
          territory_id: string | null
          type: string
          website: string | null
        }
        Insert: {
          account_number: string
          credit_limit?: number | null
          email?: string | null
          id?: string
          name: string
          notes?: string | null
          owner_id: string
          parent_account_id?: string | null
          phone?: string | null
          preferences?: Json | null
          primary_location_id?: string | null
          status?: string
          territory_id?: string | null
          type: string
          website?: string | null
        }
        Update: {
          account_number?: string
          credit_limit?: number | null
          email?: string | null
          id?: string
          name?: string
          notes?: string | null
          owner_id?: string
          parent_account_id?: string | null
          phone?: string | null
          preferences?: Json | null
          primary_location_id?: string | null
          status?: string
          territory_id?: string | null
          type?: string
          website?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "accounts_owner_id_fkey"
            columns: ["owner_id"]
            isOneToOne: false
            referencedRelation: "users"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "accounts_parent_account_id_fkey"
            columns: ["parent_account_id"]
            isOneToOne: false
            referencedRelation: "accounts"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "accounts_primary_location_id_fkey"
            columns: ["primary_location_id"]
            isOneToOne: false
            referencedRelation: "locations"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "accounts_territory_id_fkey"
            columns: ["territory_id"]
            isOneToOne: false
            referencedRelation: "territories"
            referencedColumns: ["id"]
          },
        ]
      }
      appointments: {
        Row: {
          ends_at: string
          id: string
          starts_at: string
          status: string
          technician_id: string
          work_order_id: string
        }
        Insert: {
          ends_at: string
          id?: string
          starts_at: string
          status?: string
          technician_id: string
          work_order_id: string
        }
        Update: {
          ends_at?: string
          id?: string
          starts_at?: string
          status?: string
          technician_id?: string
          work_order_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "appointments_technician_id_fkey"
            columns: ["technician_id"]
            isOneToOne: false
            referencedRelation: "technicians"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "appointments_work_order_id_fkey"
            columns: ["work_order_id"]
            isOneToOne: false
            referencedRelation: "work_orders"
            referencedColumns: ["id"]
          },
        ]
      }
      contacts: {
        Row: {
          account_id: string
          email: string | null
          first_name: string
          id: string
          is_primary: boolean
          last_name: string
          phone: string | null
          role: string | null
        }
        Insert: {
          account_id: string
          email?: string | null
          first_name: string
          id?: string
          is_primary?: boolean
          last_name: string
          phone?: string | null
          role?: string | null
        }
        Update: {
          account_id?: string
          email?: string | null
          first_name?: string
          id?: string
          is_primary?: boolean
          last_name?: string
          phone?: string | null
          role?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "contacts_account_id_fkey"
            columns: ["account_id"]
            isOneToOne: false
            referencedRelation: "accounts"
            referencedColumns: ["id"]
          },
        ]
      }
      invoice_lines: {
        Row: {
          description: string
          id: string
          invoice_id: string
          line_number: number
          quantity: number
          service_id: string | null
          unit_price: number
        }
        Insert: {
          description: string
          id?: string
          invoice_id: string
          line_number: number
          quantity?: number
          service_id?: string | null
          unit_price: number
        }
        Update: {
          description?: string
          id?: string
          invoice_id?: string
          line_number?: number
          quantity?: number
          service_id?: string | null
          unit_price?: number
        }
        Relationships: [
          {
            foreignKeyName: "invoice_lines_invoice_id_fkey"
            columns: ["invoice_id"]
            isOneToOne: false
            referencedRelation: "invoices"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "invoice_lines_service_id_fkey"
            columns: ["service_id"]
            isOneToOne: false
            referencedRelation: "services"
            referencedColumns: ["id"]
          },
        ]
      }
      invoices: {
        Row: {
          account_id: string
          id: string
          invoice_number: string
          issued_on: string | null
          owner_id: string
          status: string
          total: number
          work_order_id: string | null
        }
        Insert: {
          account_id: string
          id?: string
          invoice_number: string
          issued_on?: string | null
          owner_id: string
          status?: string
          total?: number
          work_order_id?: string | null
        }
        Update: {
          account_id?: string
          id?: string
          invoice_number?: string
          issued_on?: string | null
          owner_id?: string
          status?: string
          total?: number
          work_order_id?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "invoices_account_id_fkey"
            columns: ["account_id"]
            isOneToOne: false
            referencedRelation: "accounts"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "invoices_owner_id_fkey"
            columns: ["owner_id"]
            isOneToOne: false
            referencedRelation: "users"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "invoices_work_order_id_fkey"
            columns: ["work_order_id"]
            isOneToOne: false
            referencedRelation: "work_orders"
            referencedColumns: ["id"]
          },
        ]
      }
      locations: {
        Row: {
          access_notes: string | null
          account_id: string
          address: string
          city: string | null
          id: string
          label: string
          latitude: number | null
          longitude: number | null
          state: string | null
          zip: string | null
        }
        Insert: {
          access_notes?: string | null
          account_id: string
          address: string
          city?: string | null
          id?: string
          label?: string
          latitude?: number | null
          longitude?: number | null
          state?: string | null
          zip?: string | null
        }
        Update: {
          access_notes?: string | null
          account_id?: string
          address?: string
          city?: string | null
          id?: string
          label?: string
          latitude?: number | null
          longitude?: number | null
          state?: string | null
          zip?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "locations_account_id_fkey"
            columns: ["account_id"]
            isOneToOne: false
            referencedRelation: "accounts"
            referencedColumns: ["id"]
          },
        ]
      }
      services: {
        Row: {
          code: string
          description: string | null
          duration_minutes: number | null
          group: string | null
          id: string
          is_active: boolean
          name: string
          unit_price: number
        }
        Insert: {
          code: string
          description?: string | null
          duration_minutes?: number | null
          group?: string | null
          id?: string
          is_active?: boolean
          name: string
          unit_price: number
        }
        Update: {
          code?: string
          description?: string | null
          duration_minutes?: number | null
          group?: string | null
          id?: string
          is_active?: boolean
          name?: string
          unit_price?: number
        }
        Relationships: []
      }
      skills: {
        Row: {
          id: string
          level: number | null
          name: string
        }
        Insert: {
          id?: string
          level?: number | null
          name: string
        }
        Update: {
          id?: string
          level?: number | null
          name?: string
        }
        Relationships: []
      }
      technician_skills: {
        Row: {
          skill_id: string
          technician_id: string
        }
        Insert: {
          skill_id: string
          technician_id: string
        }
        Update: {
          skill_id?: string
          technician_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "technician_skills_skill_id_fkey"
            columns: ["skill_id"]
            isOneToOne: false
            referencedRelation: "skills"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "technician_skills_technician_id_fkey"
            columns: ["technician_id"]
            isOneToOne: false
            referencedRelation: "technicians"
            referencedColumns: ["id"]
          },
        ]
      }
      technicians: {
        Row: {
          employee_code: string
          home_territory_id: string | null
          hourly_rate: number | null
          id: string
          starts_day_at: string | null
          user_id: string
        }
        Insert: {
          employee_code: string
          home_territory_id?: string | null
          hourly_rate?: number | null
          id?: string
          starts_day_at?: string | null
          user_id: string
        }
        Update: {
          employee_code?: string
          home_territory_id?: string | null
          hourly_rate?: number | null
          id?: string
          starts_day_at?: string | null
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "technicians_home_territory_id_fkey"
            columns: ["home_territory_id"]
            isOneToOne: false
            referencedRelation: "territories"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "technicians_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "users"
            referencedColumns: ["id"]
          },
        ]
      }
      territories: {
        Row: {
          code: string
          id: string
          manager_id: string | null
          name: string
          region: string | null
        }
        Insert: {
          code: string
          id?: string
          manager_id?: string | null
          name: string
          region?: string | null
        }
        Update: {
          code?: string
          id?: string
          manager_id?: string | null
          name?: string
          region?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "territories_manager_id_fkey"
            columns: ["manager_id"]
            isOneToOne: false
            referencedRelation: "users"
            referencedColumns: ["id"]
          },
        ]
      }
      users: {
        Row: {
          created_on: string
          email: string
          full_name: string
          id: string
          is_active: boolean
          phone: string | null
        }
        Insert: {
          created_on?: string
          email: string
          full_name: string
          id?: string
          is_active?: boolean
          phone?: string | null
        }
        Update: {
          created_on?: string
          email?: string
          full_name?: string
          id?: string
          is_active?: boolean
          phone?: string | null
        }
        Relationships: []
      }
      work_orders: {
        Row: {
          account_id: string
          details: Json | null
          due_at: string | null
          id: string
          location_id: string | null
          number: number
          priority: string
          requested_on: string | null
          service_id: string
          status: string
          summary: string
          tenant_id: string
        }
        Insert: {
          account_id: string
          details?: Json | null
          due_at?: string | null
          id?: string
          location_id?: string | null
          number: number
          priority?: string
          requested_on?: string | null
          service_id: string
          status?: string
          summary: string
          tenant_id: string
        }
        Update: {
          account_id?: string
          details?: Json | null
          due_at?: string | null
          id?: string
          location_id?: string | null
          number?: number
          priority?: string
          requested_on?: string | null
          service_id?: string
          status?: string
          summary?: string
          tenant_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "work_orders_account_id_fkey"
            columns: ["account_id"]
            isOneToOne: false
            referencedRelation: "accounts"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "work_orders_location_id_fkey"
            columns: ["location_id"]
            isOneToOne: false
            referencedRelation: "locations"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "work_orders_service_id_fkey"
            columns: ["service_id"]
            isOneToOne: false
            referencedRelation: "services"
            referencedColumns: ["id"]
          },
        ]
      }
    }
    Views: {
      [_ in never]: never
    }
    Functions: {
      [_ in never]: never
    }
    Enums: {
      [_ in never]: never
    }
    CompositeTypes: {
      [_ in never]: never
    }
  }
}

type DatabaseWithoutInternals = Omit<Database, "__InternalSupabase">

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, "public">]

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
        DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
      DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])[TableName] extends {
      Row: infer R
    }
    ? R
    : never
  : DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema["Tables"] &
        DefaultSchema["Views"])
    ? (DefaultSchema["Tables"] &
        DefaultSchema["Views"])[DefaultSchemaTableNameOrOptions] extends {
        Row: infer R
      }
      ? R
      : never
    : never

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Insert: infer I
    }
    ? I
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Insert: infer I
      }
      ? I
      : never
    : never

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Update: infer U
    }
    ? U
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Update: infer U
      }
      ? U
      : never
    : never

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    | keyof DefaultSchema["Enums"]
    | { schema: keyof DatabaseWithoutInternals },
  EnumName extends (DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"]
    : never) = never,
> = DefaultSchemaEnumNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][EnumName]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
    ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
    : never

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema["CompositeTypes"]
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends (PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"]
    : never) = never,
> = PublicCompositeTypeNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"][CompositeTypeName]
  : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema["CompositeTypes"]
    ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
    : never

export const Constants = {
  public: {
    Enums: {},
  },
} as const

// The model's enums. The database stores them as varchar (checked in production), so `Database`
// types them as string, as Supabase's generator does; use these unions where the values matter.
export type AccountStatus = "Active" | "Inactive" | "On Hold"
export type AccountType = "Residential" | "Commercial" | "Industrial"
export type InvoiceStatus = "Draft" | "Sent" | "Paid" | "Void"
export type Priority = "Low" | "Normal" | "High" | "Emergency"
export type WorkOrderStatus = "New" | "Scheduled" | "In Progress" | "Completed" | "Cancelled"
